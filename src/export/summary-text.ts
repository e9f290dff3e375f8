import type { GovernorSummary } from '../openehr/types.js';
import { totalsOf } from './summary.js';
import type { ExportSummary, TemplateSummary } from './types.js';

/** Failures printed by the text summary (the JSON summary lists up to MAX_LISTED_FAILURES). */
const MAX_PRINTED_FAILURES = 10;

/** Compositions per second over the run (0 for an instant run). */
export function ratePerSecond(count: number, durationMs: number): number {
  return durationMs > 0 ? (count * 1000) / durationMs : 0;
}

function row(cells: Array<string | number>, widths: number[]): string {
  return cells
    .map((c, i) => (i === 0 ? String(c).padEnd(widths[i] ?? 0) : String(c).padStart(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
}

function templateTable(templates: TemplateSummary[], dryRun: boolean): string[] {
  const head = [
    'Template',
    'Found',
    dryRun ? 'Would insert' : 'Inserted',
    dryRun ? 'Would update' : 'Updated',
    'Unchanged',
    dryRun ? 'Would delete' : 'Deleted',
    'Failed',
    'Status',
  ];
  const rows = templates.map((t) => [
    t.templateId,
    t.counts.discovered + t.counts.retried,
    t.counts.inserted,
    t.counts.updated,
    t.counts.unchanged,
    t.counts.deleted,
    t.counts.failed,
    t.discoveryMode === 'clinical_time' ? `${t.status} (clinical time)` : t.status,
  ]);
  const widths = head.map((h, i) => Math.max(h.length, ...rows.map((r) => String(r[i]).length)));
  return [row(head, widths), ...rows.map((r) => `${row(r.slice(0, -1), widths)}  ${r.at(-1)}`)];
}

/** The human-readable summary printed at the end of `atlas export` (stdout). No content, no secrets. */
export function formatSummary(summary: ExportSummary): string {
  const lines: string[] = [''];
  const title = summary.dryRun ? 'Export summary (DRY RUN: nothing was written)' : 'Export summary';
  lines.push(
    `${title}${summary.runId ? ` — run ${summary.runId}` : ''}, mode ${summary.mode}${summary.reconcile ? ' with deletion check' : ''}`,
  );
  if (summary.templates.length > 0)
    lines.push(...templateTable(summary.templates, summary.dryRun).map((l) => `  ${l}`));
  const totals = totalsOf(summary.templates);
  const secs = summary.durationMs / 1000;
  const rate = ratePerSecond(totals.discovered + totals.retried, summary.durationMs);
  lines.push(`  Duration: ${secs.toFixed(2)}s (${rate.toFixed(1)} compositions/s)`);
  if (summary.governor) lines.push(`  ${governorLine(summary.governor)}`);
  for (const t of summary.templates) if (t.error) lines.push(`  ${t.templateId}: ${t.error}`);
  lines.push(...fetchLines(summary.templates));
  const failures = summary.templates.flatMap((t) => t.failures);
  if (totals.failed > 0) {
    lines.push('', `Failed compositions (${totals.failed}; recorded, retried first by the next run):`);
    for (const f of failures.slice(0, MAX_PRINTED_FAILURES)) {
      lines.push(
        `  - ${f.compositionUid} (EHR: ${f.ehrId}, Template: ${f.templateId})`,
        `    Reason: ${f.reason}`,
      );
    }
    const shown = Math.min(failures.length, MAX_PRINTED_FAILURES);
    if (totals.failed > shown) lines.push(`  ... and ${totals.failed - shown} more (atlas status)`);
  }
  if (summary.views) {
    lines.push(`Views regenerated: ${summary.views.regenerated.join(', ') || 'none needed'}`);
    for (const f of summary.views.failed)
      lines.push(`Views of ${f.templateId} left as they were: ${f.error}`);
  }
  if (summary.verification) lines.push('', summary.verification.summary);
  lines.push('', closingLine(summary), '');
  return lines.join('\n');
}

/** fetch = "aql": how much was converted locally, and which templates fell back to one GET each. */
function fetchLines(templates: TemplateSummary[]): string[] {
  const aql = templates.filter((t) => t.fetch);
  if (aql.length === 0) return [];
  const converted = aql.reduce((n, t) => n + (t.fetch?.converted ?? 0), 0);
  const checked = aql.reduce((n, t) => n + (t.fetch?.checked ?? 0), 0);
  const lines = [
    `  Fetch aql: ${converted} converted to FLAT locally, ${checked} checked against the server's FLAT`,
  ];
  for (const t of aql) {
    if (t.fetch?.fallback)
      lines.push(
        `  ${t.templateId} switched to fetch composition for the rest of the run: ${t.fetch.fallback}`,
      );
  }
  return lines;
}

/** One line on the request governor: the limits in force and what made it change them. */
export function governorLine(g: GovernorSummary): string {
  const rate =
    g.maxRequestsPerSecond === null ? 'no rate limit' : `at most ${g.maxRequestsPerSecond} requests/s`;
  const { max, min, final } = g.concurrency;
  const cuts = g.decreases.overload + g.decreases.latency;
  const concurrency =
    cuts === 0
      ? `concurrency ${final} of ${max} throughout`
      : `concurrency ${final} of ${max} at the end, lowest ${min} (cut ${g.decreases.overload}× for 429/503, ` +
        `${g.decreases.latency}× for latency; grown back ${g.increases}×)`;
  const pauses =
    g.pauses === 0
      ? ''
      : `; ${g.pauses} Retry-After pause${g.pauses === 1 ? '' : 's'} (${(g.pausedMs / 1000).toFixed(1)} s)`;
  return `Governor: ${rate}, ${concurrency}${pauses}`;
}

function closingLine(summary: ExportSummary): string {
  switch (summary.status) {
    case 'interrupted':
      return 'Export interrupted. Everything up to the last committed batch is saved; run the same command to resume.';
    case 'failed':
      return `Export failed: ${summary.error?.message ?? 'see the log'}`;
    case 'completed_with_failures':
      return 'Export completed with failures (see above).';
    default:
      return summary.verification && !summary.verification.consistent
        ? 'Export completed, but verification found differences (see above).'
        : 'Export completed successfully.';
  }
}
