import type { BenchResults } from './results-types.js';
import type { Figure } from './stats.js';

type Row = [
  scenario: string,
  figure: string,
  value: Figure | number | string | undefined,
  target?: string,
  met?: boolean,
];

function num(v: number): string {
  const abs = Math.abs(v);
  const digits = abs >= 100 ? 0 : abs >= 10 ? 1 : 2;
  return v.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}

function cells(v: Row[2]): [string, string, string] {
  if (v === undefined) return ['–', '', ''];
  if (typeof v === 'string') return [v, '', ''];
  if (typeof v === 'number') return [num(v), '', ''];
  return v.values.length === 1 ? [num(v.median), '', ''] : [num(v.median), num(v.min), num(v.max)];
}

const k = (n: number) => n.toLocaleString('en-US');

function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  const { full, copy, original, noop, changed, memory, anonymization: anon, views } = r;
  if (full) {
    const s = `1. Full export, ${k(full.compositions)} compositions`;
    out.push([s, 'compositions/s', full.rate]);
    out.push([s, 'MB/s (COPY-text bytes of the stored rows)', full.mbPerSecond]);
    out.push([s, 'source requests per composition', full.requestsPerComposition]);
    out.push([s, 'exporter peak RSS (MiB)', full.peakRssMb, '<= 300', full.peakRssMb.max <= 300]);
    out.push([s, 'wall time (s)', full.wallSeconds]);
    const c = full.cpuPer1000;
    out.push([
      s,
      'CPU s per 1,000: exporter / simulator / PostgreSQL',
      `${num(c.exporter)} / ${num(c.simulator)} / ${c.postgres === undefined ? '–' : num(c.postgres)}`,
    ]);
  }
  if (copy) {
    const s = `2. COPY of the same ${k(copy.rows)} rows`;
    out.push([s, 'rows/s', copy.rate]);
    out.push([s, 'MB/s', copy.mbPerSecond]);
    out.push([s, 'PostgreSQL CPU s per 1,000 rows', copy.postgresCpuPer1000]);
    out.push([s, 'export rate ÷ COPY rate', copy.ratio, '>= 0.7', copy.ratio.median >= 0.7]);
  }
  if (original) {
    const s = `3. Original access pattern, ${k(original.compositions)}-composition subset`;
    out.push([s, 'compositions/s', original.rate]);
    out.push([s, 'source requests per composition', original.requestsPerComposition]);
    out.push([s, 'PostgreSQL round trips per composition', original.postgresRoundTripsPerComposition]);
    out.push([s, 'our export on the same subset (compositions/s)', original.ourRateOnSubset]);
    out.push([
      s,
      'speed-up on the same subset',
      original.speedupOnSubset === undefined ? undefined : `${num(original.speedupOnSubset)}×`,
    ]);
    out.push([
      s,
      'speed-up of scenario 1 over it',
      original.speedup === undefined ? undefined : `${num(original.speedup)}×`,
    ]);
  }
  if (noop) {
    for (const p of noop.points) {
      const s = `4. No-op incremental, ${k(p.ehrs)} EHRs × ${noop.templates} templates`;
      out.push([
        s,
        `source requests (${Object.entries(p.requestsByKind)
          .filter(([, n]) => n > 0)
          .map(([kind, n]) => `${kind} ${n}`)
          .join(', ')})`,
        p.requests,
        'a handful, same for every EHR count',
      ]);
      out.push([s, 'wall time (s)', p.wallSeconds, '< 2', p.wallSeconds.median < 2]);
    }
  }
  if (changed) {
    const s = `5. Incremental, ${k(changed.changed)} of ${k(changed.compositions)} changed (1%)`;
    out.push([s, 'source requests', changed.requests]);
    out.push([s, 'rows updated', changed.updatedRows]);
    out.push([s, 'wall time (s)', changed.wallSeconds]);
  }
  for (const m of memory ?? []) {
    const s = `6. Memory, ${k(m.compositions)} compositions${m.runs === 1 ? ' (1 run)' : ''}`;
    out.push([s, 'exporter peak RSS (MiB)', m.peakRssMb, '<= 300', m.peakRssMb.max <= 300]);
    out.push([s, 'compositions/s', m.rate]);
  }
  if (anon) {
    const s = `7. Anonymization (GDPR, token), ${k(anon.compositions)} compositions`;
    out.push([s, 'compositions/s without', anon.plainRate]);
    out.push([s, 'compositions/s with', anon.anonymizedRate]);
    out.push([s, 'overhead (%)', anon.overheadPercent, '< 15', anon.overheadPercent.median < 15]);
  }
  if (views) {
    const s = `8. Repeating views, ${k(views.compositions)} vital-signs compositions`;
    out.push([s, 'count(*) main view (ms)', views.countMainMs]);
    out.push([s, `count(*) repeating view, ${k(views.repeatingRows)} rows (ms)`, views.countRepeatingMs]);
    out.push([s, 'count(*) repeating ÷ main', views.countRatio, '<= 3', views.countRatio.median <= 3]);
    out.push([s, 'per-patient aggregate, main view (ms)', views.aggregateMainMs]);
    out.push([s, 'per-patient avg(temperature), repeating view (ms)', views.aggregateRepeatingMs]);
    out.push([
      s,
      'aggregate repeating ÷ main',
      views.aggregateRatio,
      '<= 3',
      views.aggregateRatio.median <= 3,
    ]);
    out.push([s, 'count(*) with the previous live key scan (ms, once)', views.liveDesignCountMs]);
    out.push([s, 'atlas views generate, occurrence tables built (s)', views.generateSeconds]);
    const w = (c: { withTriggers: number; without: number }) => `${num(c.withTriggers)} / ${num(c.without)}`;
    const m = `(ms, ${k(views.writtenCompositions)} compositions, triggers on / off)`;
    out.push([s, `insert ${m}`, w(views.insertMs)]);
    out.push([s, `new version ${m}`, w(views.newVersionMs)]);
    out.push([s, `tombstone ${m}`, w(views.tombstoneMs)]);
  }
  out.push(...fetchModeRows(r));
  return out;
}

/** Issue 22's targets per (condition, mode); the fault mix is judged against the clean rate of the same mode. */
function fetchModeRows(r: BenchResults): Row[] {
  const f = r.fetchModes;
  if (!f) return [];
  const out: Row[] = [];
  const clean = (fetch: string) => f.points.find((p) => p.condition === 'loopback' && p.fetch === fetch);
  for (const p of f.points) {
    const s = `9. Fetch ${p.fetch}, ${p.condition}, ${k(p.compositions)} compositions (1 run)`;
    out.push([s, 'compositions/s', p.rate]);
    const target =
      p.condition === 'loopback'
        ? p.fetch === 'aql'
          ? 0.8
          : undefined
        : p.condition === 'latency 10 ms'
          ? p.fetch === 'aql'
            ? 0.7
            : 0.3
          : undefined;
    out.push([
      s,
      'export rate ÷ COPY rate',
      p.ratioToCopy,
      target === undefined ? undefined : `>= ${target}`,
      target === undefined ? undefined : p.ratioToCopy >= target,
    ]);
    if (p.condition === 'fault mix') {
      const base = clean(p.fetch);
      if (base)
        out.push([
          s,
          'rate ÷ clean rate of the same mode',
          p.rate / base.rate,
          '>= 0.5',
          p.rate / base.rate >= 0.5,
        ]);
    }
    out.push([
      s,
      'source requests per composition',
      p.requestsPerComposition.toFixed(4),
      p.fetch === 'aql' ? '<= 0.01' : undefined,
      p.fetch === 'aql' ? p.requestsPerComposition <= 0.01 : undefined,
    ]);
    out.push([s, 'exporter peak RSS (MiB)', p.peakRssMb, '<= 300', p.peakRssMb <= 300]);
    if (p.failed > 0) out.push([s, 'compositions failed (recorded for retry)', String(p.failed)]);
    if (p.fellBack.length > 0)
      out.push([s, 'templates that fell back to composition', p.fellBack.join(', ')]);
  }
  return out;
}

/** The results as a markdown document: machine, command, notes, then one table of every figure. */
export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `# Atlas export benchmark, ${r.startedAt.slice(0, 10)}${r.label ? ` (${r.label})` : ''}`,
    '',
    `Machine: ${m.cpuModel}, ${m.cores} cores, ${m.ramGiB} GiB RAM; Node ${m.node}; PostgreSQL ${m.postgres}; ${m.os}.`,
    `Load average at start: ${m.loadAverageAtStart.join(' ')}.`,
    '',
    `Command: \`${r.command}\``,
    '',
    `Each figure: median of ${r.runs} run(s), with min and max where there was more than one.`,
    '',
    ...r.notes.map((n) => `- ${n}`),
    '',
    '| Scenario | Figure | Median | Min | Max | Target | Met |',
    '|---|---|--:|--:|--:|---|---|',
  ];
  let last = '';
  for (const [scenario, figure, value, target, met] of rows(r)) {
    const [med, min, max] = cells(value);
    const name = scenario === last ? '' : scenario;
    last = scenario;
    const ok = met === undefined ? '' : met ? 'yes' : '**no**';
    lines.push(`| ${name} | ${figure} | ${med} | ${min} | ${max} | ${target ?? ''} | ${ok} |`);
  }
  for (const e of r.errors) lines.push('', `**${e.scenario} failed:** ${e.message}`);
  return `${lines.join('\n')}\n`;
}
