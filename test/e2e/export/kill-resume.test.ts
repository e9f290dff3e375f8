import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { expectExactEquality, startSim, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, startCli, waitFor, writeConfig } from './cli.js';
import { expectCursorCoverage } from './coverage.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let config: string;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 101, ehrs: 60, compositions: 1500, updateRatio: 0.2, tieRatio: 0.2 });
  templates = sim.control.templateIds().slice(0, 3);
  // Slow enough that a run spans many batches and the kill lands anywhere in it: a full run takes ~2.5 s,
  // longer than the longest kill delay (1.2 s), however fast the pipeline gets (4 ms let every run finish
  // before its kill once batches overlapped).
  sim.control.setFaults({ endpoints: { composition: { latencyMs: 12 } } });
  db = await createTestDatabase();
  config = writeConfig(tomlFor(sim, db.url, templates)).file;
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

describe('kill -9 at random points, then resume', () => {
  it('ends with exact equality and no duplicates, and the cursor never covers a lost composition', async () => {
    const rng = xoroshiro128plus(20250101);
    const runCount = async () =>
      Number((await db.pool.query('SELECT count(*) AS n FROM export_runs')).rows[0].n);
    let killed = 0;
    for (let iteration = 0; iteration < 6; iteration++) {
      const runsBefore = await runCount();
      // Alternate incremental runs (resume from the cursor) and full runs (long: they fetch everything).
      const mode = iteration % 2 === 0 ? 'incremental' : 'full';
      const run = startCli(['export', '-c', config, '--yes', '--mode', mode, '--log-format', 'json']);
      // Once the run has started (its run row exists), a seeded random delay, then SIGKILL.
      await waitFor(async () => (await runCount()) > runsBefore || run.child.exitCode !== null);
      await new Promise((r) => setTimeout(r, uniformInt(rng, 0, 1200)));
      run.child.kill('SIGKILL');
      const result = await run.done;
      expect(result.signal === 'SIGKILL' || result.code === 0, result.stderr).toBe(true);
      if (result.signal === 'SIGKILL') killed++;
      await expectCursorCoverage(sim, db.pool);
      // The source keeps changing between runs.
      sim.control.advanceClock(120_000);
      for (const t of templates) sim.control.commit(t);
      const live = [...sim.control.liveCompositions(templates[iteration % templates.length]!)];
      sim.control.update(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
      sim.control.delete(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
    }
    expect(killed).toBeGreaterThan(0);
    const final = await runCli(['export', '-c', config, '--yes', '--reconcile', '--log-format', 'json']);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toContain('Export completed successfully.');
    await expectExactEquality(sim, db.pool, templates, expect);
    // Every killed run was found by a later one and marked interrupted, with the reason; none stays running.
    const statuses = await db.pool.query<{ status: string; n: number; crashed: number }>(
      `SELECT status, count(*)::int AS n, count(*) FILTER (WHERE error LIKE '%ended without recording its outcome%')::int AS crashed
         FROM export_runs GROUP BY status`,
    );
    const byStatus = new Map(statuses.rows.map((r) => [r.status, r]));
    expect(byStatus.get('running')).toBeUndefined();
    expect(byStatus.get('interrupted')?.crashed).toBe(killed);
    const unsettled = await db.pool.query(
      "SELECT 1 FROM watermarks w JOIN export_runs r ON r.id = w.last_run_id WHERE w.last_export_status = 'in_progress' AND r.status = 'interrupted'",
    );
    expect(unsettled.rowCount).toBe(0);
    const runs = await db.pool.query<{ status: string }>('SELECT status FROM export_runs ORDER BY id');
    expect(runs.rows.at(-1)?.status).toBe('completed');
  });
});
