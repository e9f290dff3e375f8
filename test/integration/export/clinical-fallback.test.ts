import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, storedRows, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 71, ehrs: 15, compositions: 200, rejectVersionQueries: true });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, templates);
});
afterAll(async () => {
  await sim?.close();
});

function startTimeKey(flat: Record<string, unknown>): string {
  const key = Object.keys(flat).find((k) => k.endsWith('/context/start_time'));
  if (!key) throw new Error('no context/start_time in the FLAT');
  return key;
}

const cursorMode = async (t: string) =>
  (await db.pool.query('SELECT discovery_mode FROM export_cursors WHERE template_id = $1', [t])).rows[0]
    ?.discovery_mode;

describe('a server that cannot query VERSION', () => {
  it('is exported by clinical start time, with a warning', async () => {
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed');
    for (const t of summary.templates) expect(t.discoveryMode).toBe('clinical_time');
    expect(summary.logs.some((l) => l.includes('"level":40') && l.includes('clinical start time'))).toBe(
      true,
    );
    await expectExactEquality(sim, db.pool, templates, expect);
    expect(await cursorMode(templates[0]!)).toBe('clinical_time');
  });

  it('incremental runs follow the clinical time; a back-dated commit needs a full run there', async () => {
    const t0 = templates[0]!;
    const key = startTimeKey(sim.control.getFlat([...sim.control.liveCompositions(t0)][0]!.uid)!);
    sim.control.advanceClock(3_600_000);
    const current = sim.control.commit(t0, undefined, { [key]: sim.control.now() });
    const backdated = sim.control.commit(t0, undefined, { [key]: '2001-01-01T00:00:00Z' });
    const inc = await runExport(toml);
    expect(sumCounts(inc, 'inserted')).toBe(1);
    const rows = await storedRows(db.pool, t0);
    expect(rows.has(current.objectId)).toBe(true);
    // The documented limit of the fallback: clinical time before the cursor is not re-scanned.
    expect(rows.has(backdated.objectId)).toBe(false);
    const full = await runExport(toml, { flags: { mode: 'full' } });
    expect(sumCounts(full, 'inserted')).toBe(1);
    await expectExactEquality(sim, db.pool, templates, expect);
  });

  it('once the server supports VERSION, the next run rescans by commit time without refetching', async () => {
    sim.control.setFaults({ rejectVersionQueries: false });
    sim.control.resetStats();
    const summary = await runExport(toml);
    for (const t of summary.templates) expect(t.discoveryMode).toBe('commit_time');
    expect(sim.control.stats().composition).toBe(0);
    expect(sumCounts(summary, 'inserted') + sumCounts(summary, 'updated')).toBe(0);
    expect(await cursorMode(templates[0]!)).toBe('commit_time');
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});
