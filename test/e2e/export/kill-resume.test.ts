import type pg from 'pg';
import { uniformInt } from 'pure-rand/distribution/uniformInt';
import { xoroshiro128plus } from 'pure-rand/generator/xoroshiro128plus';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { compareCursorKeys } from '../../../src/export/cursor.js';
import { expectExactEquality, startSim, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, startCli, waitFor, writeConfig } from './cli.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let config: string;

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 101, ehrs: 60, compositions: 1500, updateRatio: 0.2, tieRatio: 0.2 });
  templates = sim.control.templateIds().slice(0, 3);
  // Slow enough that a run spans many batches and the kill lands anywhere in it.
  sim.control.setFaults({ endpoints: { composition: { latencyMs: 4 } } });
  db = await createTestDatabase();
  config = writeConfig(tomlFor(sim, db.url, templates)).file;
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

/**
 * Crash safety: every live composition at or before its template's committed cursor is stored at exactly
 * its live version, or recorded as failed. (Compositions after the cursor may or may not be stored yet.)
 */
async function expectCursorCoverage(pool: pg.Pool): Promise<void> {
  const cursors = await pool.query<{ template_id: string; time: string; uid: string }>(
    `SELECT template_id, to_char(cursor_time AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS time, cursor_uid AS uid FROM export_cursors`,
  );
  const stored = await pool.query<{ id: string; composition_uid: string }>(
    'SELECT id, composition_uid FROM compositions WHERE deleted_at IS NULL',
  );
  const failed = await pool.query<{ id: string }>('SELECT id FROM failed_compositions');
  const byId = new Map(stored.rows.map((r) => [r.id, r.composition_uid]));
  const failedIds = new Set(failed.rows.map((r) => r.id));
  for (const c of cursors.rows) {
    for (const live of sim.control.liveCompositions(c.template_id)) {
      if (compareCursorKeys({ time: live.timeCommitted, uid: live.uid }, c) > 0) continue;
      if (failedIds.has(live.objectId)) continue;
      expect(byId.get(live.objectId), `${live.uid} at or before the cursor of ${c.template_id}`).toBe(
        live.uid,
      );
    }
  }
}

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
      await expectCursorCoverage(db.pool);
      // The source keeps changing between runs.
      sim.control.advanceClock(120_000);
      for (const t of templates) sim.control.commit(t);
      const live = [...sim.control.liveCompositions(templates[iteration % templates.length]!)];
      sim.control.update(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
      sim.control.delete(live[uniformInt(rng, 0, live.length - 1)]!.objectId);
    }
    expect(killed).toBeGreaterThan(0);
    const interrupted = await db.pool.query(
      "SELECT count(*)::int AS n FROM export_runs WHERE status = 'running'",
    );
    expect(interrupted.rows[0].n).toBe(killed);
    const final = await runCli(['export', '-c', config, '--yes', '--reconcile', '--log-format', 'json']);
    expect(final.code, final.stderr).toBe(0);
    expect(final.stdout).toContain('Export completed successfully.');
    await expectExactEquality(sim, db.pool, templates, expect);
    const runs = await db.pool.query<{ status: string }>('SELECT status FROM export_runs ORDER BY id');
    expect(runs.rows.at(-1)?.status).toBe('completed');
  });
});
