import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, storedRows, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 23, ehrs: 25, compositions: 500, auth: 'basic' });
  templates = sim.control.templateIds().slice(0, 2);
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, templates);
});
afterAll(async () => {
  await sim?.close();
});

/** The FLAT key holding the composition's clinical start time. */
function startTimeKey(flat: Record<string, unknown>): string {
  const key = Object.keys(flat).find((k) => k.endsWith('/context/start_time'));
  if (!key) throw new Error('no context/start_time in the FLAT');
  return key;
}

describe('incremental export', () => {
  it('the first incremental run (no cursor) exports everything', async () => {
    const summary = await runExport(toml);
    expect(summary.mode).toBe('incremental');
    expect(summary.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, templates, expect);
    expect(sumCounts(summary, 'inserted')).toBe(total);
  });

  it('a run with nothing new fetches nothing: the overlap window is skipped by uid', async () => {
    sim.control.resetStats();
    const summary = await runExport(toml);
    expect(sim.control.stats().composition).toBe(0);
    expect(sumCounts(summary, 'inserted') + sumCounts(summary, 'updated')).toBe(0);
  });

  it('picks up commits, updates and back-dated commits; fetches only what changed', async () => {
    const t0 = templates[0]!;
    sim.control.advanceClock(3_600_000);
    const fresh = sim.control.commit(t0);
    const existing = [...sim.control.liveCompositions(t0)][2]!;
    const updatedUid = sim.control.update(existing.objectId);
    const prototype = sim.control.getFlat(existing.uid)!;
    const backdated = sim.control.commit(t0, undefined, {
      [startTimeKey(prototype)]: '2001-02-03T04:05:06Z',
    });
    sim.control.resetStats();
    const summary = await runExport(toml);
    expect(summary.status).toBe('completed');
    expect(sumCounts(summary, 'inserted')).toBe(2);
    expect(sumCounts(summary, 'updated')).toBe(1);
    expect(sim.control.stats().composition).toBe(3);
    const rows = await storedRows(db.pool, t0);
    expect(rows.get(fresh.objectId)?.composition_uid).toBe(fresh.uid);
    expect(rows.get(backdated.objectId)?.composition_uid).toBe(backdated.uid);
    expect(rows.get(existing.objectId)?.composition_uid).toBe(updatedUid);
    expect(rows.get(existing.objectId)?.id).toBe(existing.objectId);
    await expectExactEquality(sim, db.pool, templates, expect);
  });

  it('a commit that became visible late (inside the overlap window) is still exported', async () => {
    const t1 = templates[1]!;
    const cursorBefore = await db.pool.query<{ t: string }>(
      `SELECT to_char(cursor_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS t FROM export_cursors WHERE template_id = $1`,
      [t1],
    );
    // Committed with a time before the cursor (as if its transaction had been slow to become visible).
    const resume = sim.control.now();
    sim.control.setClock(new Date(Date.parse(cursorBefore.rows[0]!.t) - 60_000).toISOString());
    const late = sim.control.commit(t1);
    sim.control.setClock(resume);
    sim.control.advanceClock(3_600_000);
    const summary = await runExport(toml);
    expect(sumCounts(summary, 'inserted')).toBe(1);
    expect((await storedRows(db.pool, t1)).get(late.objectId)?.composition_uid).toBe(late.uid);
  });

  it('deletions are not visible to an incremental run, and are marked by --reconcile', async () => {
    const t0 = templates[0]!;
    const victim = [...sim.control.liveCompositions(t0)][7]!;
    sim.control.delete(victim.objectId);
    const plain = await runExport(toml);
    expect(sumCounts(plain, 'deleted')).toBe(0);
    expect((await storedRows(db.pool, t0)).get(victim.objectId)?.deleted).toBe(false);
    const reconciled = await runExport(toml, { reconcile: true });
    expect(reconciled.reconcile).toBe(true);
    expect(sumCounts(reconciled, 'deleted')).toBe(1);
    expect((await storedRows(db.pool, t0)).get(victim.objectId)?.deleted).toBe(true);
    await expectExactEquality(sim, db.pool, templates, expect);
  });

  it('an EHR filter exports only those EHRs and leaves the template cursor alone', async () => {
    const t0 = templates[0]!;
    const cursor = () =>
      db.pool.query('SELECT cursor_time, cursor_uid FROM export_cursors WHERE template_id = $1', [t0]);
    const before = (await cursor()).rows;
    sim.control.advanceClock(3_600_000);
    const ehrA = sim.control.ehrId(0);
    const ehrB = sim.control.ehrId(1);
    const inA = sim.control.commit(t0, ehrA);
    const inB = sim.control.commit(t0, ehrB);
    const summary = await runExport(toml, { flags: { ehrIds: [ehrA] } });
    expect(sumCounts(summary, 'inserted')).toBe(1);
    const rows = await storedRows(db.pool, t0);
    expect(rows.has(inA.objectId)).toBe(true);
    expect(rows.has(inB.objectId)).toBe(false);
    expect((await cursor()).rows).toEqual(before);
    const after = await runExport(toml);
    expect(sumCounts(after, 'inserted')).toBe(1);
    await expectExactEquality(sim, db.pool, templates, expect);
  });
});
