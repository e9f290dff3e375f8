import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { generateViews } from '../../../src/views/index.js';
import { createTestDatabase } from '../../support/db.js';
import { at, labResults, PATIENTS, problemList, vitalSigns } from './cookbook-data.js';
import { instantMicros } from './flat-expect.js';
import {
  DEMO,
  demoTemplates,
  insertCompositions,
  openDeps,
  rawTextPool,
  startSim,
  viewsContext,
} from './support.js';

/** The cookbook of docs/views.md: every query runs against generated demo views; results are checked. */
const doc = readFileSync(join(process.cwd(), 'docs', 'views.md'), 'utf8');
const queries = new Map(
  [...doc.matchAll(/<!-- cookbook: ([a-z0-9-]+) -->\n```sql\n([\s\S]*?)```/g)].map((m) => [m[1]!, m[2]!]),
);

const db = await createTestDatabase();
const raw = rawTextPool(db.url);
const now = Date.now();

const ms = (text: string) => Number(instantMicros(text) / 1000n);
const month = (iso: string) => `${iso.slice(0, 7)}-01 00:00:00+00`;
const run = async (id: string) => {
  const sql = queries.get(id);
  if (!sql) throw new Error(`no cookbook query ${id} in docs/views.md`);
  return (await raw.query(sql)).rows;
};

beforeAll(async () => {
  const sim = await startSim({ dataDir: join(DEMO, 'manifest.json') });
  const ctx = await viewsContext(sim, db.url);
  const { store, client } = await openDeps(ctx);
  const proto = Object.fromEntries(demoTemplates().map((t) => [t.templateId, t.flats[0]!]));
  const rows = PATIENTS.flatMap((p) => [
    ...vitalSigns(now, p, proto['vital_signs.v1']!).map((flat) => ({
      templateId: 'vital_signs.v1',
      flat,
      ehrId: p.ehrId,
    })),
    ...labResults(now, p, proto['lab_results.v1']!).map((flat) => ({
      templateId: 'lab_results.v1',
      flat,
      ehrId: p.ehrId,
    })),
    { templateId: 'problem_list.v1', flat: problemList(p, proto['problem_list.v1']!), ehrId: p.ehrId },
  ]);
  // Both stored forms, alternating.
  await insertCompositions(
    raw,
    rows.map((r, i) => ({ ...r, mode: i % 2 === 0 ? ('preserve' as const) : ('flatten' as const) })),
  );
  const outcomes = await generateViews(
    ctx,
    { db: store, client },
    { materialized: false, dryRun: false, pruneRemoved: false, cascade: false },
  );
  expect(outcomes.map((o) => o.status)).toEqual(['created', 'created', 'created']);
});

describe('cookbook (docs/views.md)', () => {
  it('has the queries the tests below check', () => {
    expect([...queries.keys()].sort()).toEqual(
      [
        'bp-change',
        'bp-trend-monthly',
        'compositions-per-month',
        'fever-last-month',
        'fevers-by-composer',
        'latest-bp',
        'latest-haemoglobin',
        'patients-per-diagnosis',
        'uncontrolled-hypertension',
      ].sort(),
    );
  });

  it('fever-last-month: patients above 38 °C in the last month, highest value first', async () => {
    const expected = PATIENTS.map((p) => ({
      p,
      fevers: p.temperatures.filter((t) => t.value > 38 && t.daysAgo < 28),
    }))
      .filter((x) => x.fevers.length > 0)
      .map((x) => ({
        ehr_id: x.p.ehrId,
        highest: Math.max(...x.fevers.map((t) => t.value)),
        measurements: x.fevers.length,
      }))
      .sort((a, b) => b.highest - a.highest || a.ehr_id.localeCompare(b.ehr_id));
    const rows = await run('fever-last-month');
    expect(
      rows.map((r) => ({
        ehr_id: r.ehr_id,
        highest: Number(r.highest),
        measurements: Number(r.measurements),
      })),
    ).toEqual(expected);
    // The data set is built so that an old fever (p1, p2: 45 days) and a Cel unit (p4) matter.
    expect(expected.map((e) => e.ehr_id)).toEqual(['p1-ehr', 'p0-ehr', 'p4-ehr']);
  });

  it('bp-trend-monthly: monthly averages per patient', async () => {
    const groups = new Map<string, { ehr: string; month: string; s: number[]; d: number[] }>();
    for (const p of PATIENTS) {
      for (const b of p.pressures) {
        const key = `${p.ehrId} ${month(at(now, b))}`;
        const g = groups.get(key) ?? { ehr: p.ehrId, month: month(at(now, b)), s: [], d: [] };
        g.s.push(b.systolic);
        g.d.push(b.diastolic);
        groups.set(key, g);
      }
    }
    const avg = (xs: number[]) => Math.round((xs.reduce((a, b) => a + b, 0) / xs.length) * 10) / 10;
    const expected = [...groups.values()]
      .sort((a, b) => a.ehr.localeCompare(b.ehr) || a.month.localeCompare(b.month))
      .map((g) => [g.ehr, g.month, avg(g.s), avg(g.d), g.s.length]);
    const rows = await run('bp-trend-monthly');
    expect(
      rows.map((r) => [r.ehr_id, r.month, Number(r.systolic), Number(r.diastolic), Number(r.readings)]),
    ).toEqual(expected);
  });

  it('bp-change: the change since the previous reading of the same patient', async () => {
    const expected = PATIENTS.flatMap((p) =>
      [...p.pressures]
        .sort((a, b) => ms(at(now, a)) - ms(at(now, b)))
        .map((b, i, all) => [
          p.ehrId,
          ms(at(now, b)),
          b.systolic,
          i === 0 ? null : b.systolic - all[i - 1]!.systolic,
        ]),
    );
    const rows = await run('bp-change');
    expect(
      rows.map((r) => [
        r.ehr_id,
        ms(r.time),
        Number(r.systolic_magnitude),
        r.systolic_change === null ? null : Number(r.systolic_change),
      ]),
    ).toEqual(expected);
  });

  it('latest-bp: the latest reading per patient', async () => {
    const expected = PATIENTS.filter((p) => p.pressures.length > 0).map((p) => {
      const last = [...p.pressures].sort((a, b) => ms(at(now, b)) - ms(at(now, a)))[0]!;
      return [p.ehrId, ms(at(now, last)), last.systolic, last.diastolic];
    });
    const rows = await run('latest-bp');
    expect(rows.map((r) => [r.ehr_id, ms(r.time), Number(r.systolic), Number(r.diastolic)])).toEqual(
      expected,
    );
  });

  it('compositions-per-month: by clinical start time', async () => {
    const perMonth = new Map<string, { n: number; patients: Set<string> }>();
    for (const p of PATIENTS) {
      for (const day of new Set([...p.temperatures, ...p.pressures].map((r) => r.daysAgo))) {
        const m = month(at(now, { daysAgo: day }));
        const e = perMonth.get(m) ?? { n: 0, patients: new Set() };
        e.n++;
        e.patients.add(p.ehrId);
        perMonth.set(m, e);
      }
    }
    const expected = [...perMonth]
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([m, e]) => [m, e.n, e.patients.size]);
    const rows = await run('compositions-per-month');
    expect(rows.map((r) => [r.month, Number(r.compositions), Number(r.patients)])).toEqual(expected);
  });

  it('fevers-by-composer: a repeating view joined to the main view', async () => {
    const counts = new Map<string, number>();
    for (const p of PATIENTS) {
      const fevers = p.temperatures.filter((t) => t.value > 38).length;
      if (fevers > 0) counts.set(p.composer, (counts.get(p.composer) ?? 0) + fevers);
    }
    const expected = [...counts].sort(([a, x], [b, y]) => y - x || a.localeCompare(b));
    const rows = await run('fevers-by-composer');
    expect(rows.map((r) => [r.composer_name, Number(r.fevers)])).toEqual(expected);
  });

  it('latest-haemoglobin: a child view joined to its parent on the index columns', async () => {
    const expected = PATIENTS.filter((p) => p.haemoglobin.length > 0).map((p) => {
      const last = [...p.haemoglobin].sort((a, b) => a.daysAgo - b.daysAgo)[0]!;
      return [p.ehrId, ms(at(now, last)), last.value, 'g/dL'];
    });
    const rows = await run('latest-haemoglobin');
    expect(rows.map((r) => [r.ehr_id, ms(r.time), Number(r.haemoglobin), r.unit])).toEqual(expected);
  });

  it('patients-per-diagnosis: SNOMED CT codes and names', async () => {
    const hypertensive = PATIENTS.filter((p) => p.hypertension).length;
    const rows = await run('patients-per-diagnosis');
    expect(rows.map((r) => [r.snomed_ct, r.diagnosis, Number(r.patients)])).toEqual([
      ['44054006', 'Diabetes mellitus type 2', PATIENTS.length],
      ['38341003', 'Hypertensive disorder', hypertensive],
    ]);
  });

  it('uncontrolled-hypertension: across two templates', async () => {
    const expected = PATIENTS.filter((p) => p.hypertension && p.pressures.length > 0)
      .map((p) => ({ p, last: [...p.pressures].sort((a, b) => ms(at(now, b)) - ms(at(now, a)))[0]! }))
      .filter((x) => x.last.systolic >= 140)
      .map((x) => [x.p.ehrId, x.last.systolic]);
    const rows = await run('uncontrolled-hypertension');
    expect(rows.map((r) => [r.ehr_id, Number(r.systolic)])).toEqual(expected);
    expect(expected).toEqual([['p0-ehr', 150]]);
  });
});
