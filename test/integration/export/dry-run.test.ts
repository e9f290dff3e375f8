import type pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase } from '../../support/db.js';
import { runExport, startSim, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 31, ehrs: 15, compositions: 200 });
  templates = sim.control.templateIds().slice(0, 2);
});
afterAll(async () => {
  await sim?.close();
});

const TABLES = ['compositions', 'watermarks', 'export_cursors', 'export_runs', 'failed_compositions'];

async function snapshot(pool: pg.Pool): Promise<Record<string, unknown[]>> {
  const out: Record<string, unknown[]> = {};
  for (const t of TABLES) out[t] = (await pool.query(`SELECT * FROM ${t} ORDER BY 1`)).rows;
  return out;
}
const liveCount = () => templates.reduce((n, t) => n + [...sim.control.liveCompositions(t)].length, 0);

describe('dry run', () => {
  it('on an empty, unmigrated database creates nothing and reports every composition as an insert', async () => {
    const db = await createTestDatabase({ migrated: false });
    const summary = await runExport(tomlFor(sim, db.url, templates), { flags: { dryRun: true } });
    expect(summary.dryRun).toBe(true);
    expect(summary.runId).toBeUndefined();
    expect(sumCounts(summary, 'inserted')).toBe(liveCount());
    const tables = await db.pool.query(
      "SELECT count(*)::int AS n FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace WHERE n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')",
    );
    expect(tables.rows[0]).toEqual({ n: 0 });
  });

  it('on a populated database changes no row and reports inserts, updates, unchanged and deletes', async () => {
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates);
    await runExport(toml);
    const t0 = templates[0]!;
    sim.control.advanceClock(60_000);
    sim.control.commit(t0);
    const live = [...sim.control.liveCompositions(t0)];
    sim.control.update(live[1]!.objectId);
    sim.control.delete(live[2]!.objectId);
    const before = await snapshot(db.pool);
    const summary = await runExport(toml, { flags: { dryRun: true, mode: 'full' } });
    expect(await snapshot(db.pool)).toEqual(before);
    expect(sumCounts(summary, 'inserted')).toBe(1);
    expect(sumCounts(summary, 'updated')).toBe(1);
    expect(sumCounts(summary, 'deleted')).toBe(1);
    expect(sumCounts(summary, 'unchanged')).toBe(liveCount() - 2);
    const incremental = await runExport(toml, { flags: { dryRun: true } });
    expect(sumCounts(incremental, 'inserted')).toBe(1);
    expect(sumCounts(incremental, 'updated')).toBe(1);
    expect(await snapshot(db.pool)).toEqual(before);
  });
});
