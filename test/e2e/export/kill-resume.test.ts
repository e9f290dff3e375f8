import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { expectExactEquality, startSim, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, startCli, waitFor, writeConfig } from './cli.js';
import { expectCursorCoverage } from './coverage.js';

interface Setup {
  sim: Simulator;
  db: TestDatabase;
  templates: string[];
  config: string;
}

/**
 * Both fetch modes: `composition` (one FLAT GET each) and `aql` (whole compositions in the discovery pages,
 * issue 22; the simulator then serves FLAT marshalled from canonical, as EHRbase does).
 */
const setups = new Map<string, Setup>();

beforeAll(async () => {
  await ensureBuilt();
  for (const fetch of ['composition', 'aql'] as const) {
    const sim = await startSim({
      seed: 101,
      ehrs: 60,
      compositions: 1500,
      updateRatio: 0.2,
      tieRatio: 0.2,
      ...(fetch === 'aql' ? { faults: { flatFromCanonical: true } } : {}),
    });
    const templates = sim.control.templateIds().slice(0, 3);
    // Slow enough that a run spans many batches and the kill lands anywhere in it: a full run takes ~2.5 s,
    // longer than the longest kill delay (1.2 s), however fast the pipeline gets (4 ms let every run finish
    // before its kill once batches overlapped). In aql mode the pages carry the content, so they are slowed.
    sim.control.setFaults(
      fetch === 'aql'
        ? { endpoints: { aql: { latencyMs: 150 } } }
        : { endpoints: { composition: { latencyMs: 12 } } },
    );
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates).replace(
      '[openehr.query]\n',
      `[openehr.query]\nfetch = "${fetch}"\n`,
    );
    setups.set(fetch, { sim, db, templates, config: writeConfig(toml).file });
  }
}, 300_000);
afterAll(async () => {
  for (const s of setups.values()) await s.sim.close();
});

describe.each(['composition', 'aql'])('kill -9 at random points, then resume (fetch = %s)', (fetch) => {
  it('ends with exact equality and no duplicates, and the cursor never covers a lost composition', async () => {
    const { sim, db, templates, config } = setups.get(fetch)!;
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
    if (fetch === 'aql') {
      expect(final.stdout).toMatch(/Fetch aql: \d+ converted to FLAT locally/);
      expect(final.stdout).not.toContain('switched to fetch composition');
    }
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
