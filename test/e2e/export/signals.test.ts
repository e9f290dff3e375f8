import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { expectExactEquality, startSim, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, startCli, waitFor, writeConfig } from './cli.js';
import { expectCursorCoverage } from './coverage.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 202, ehrs: 40, compositions: 1200 });
  templates = sim.control.templateIds().slice(0, 2);
  sim.control.setFaults({ endpoints: { composition: { latencyMs: 10 } } });
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

async function setup(graceSeconds = 5): Promise<{ db: TestDatabase; config: string }> {
  const db = await createTestDatabase();
  const toml = tomlFor(sim, db.url, templates).replace(
    'shutdown_timeout_secs = 5',
    `shutdown_timeout_secs = ${graceSeconds}`,
  );
  return { db, config: writeConfig(toml).file };
}

const storedCount = async (db: TestDatabase) =>
  Number((await db.pool.query('SELECT count(*) AS n FROM compositions')).rows[0].n);

async function resumeAndCompare(db: TestDatabase, config: string): Promise<void> {
  const resumed = await runCli(['export', '-c', config, '--yes']);
  expect(resumed.code, resumed.stderr).toBe(0);
  await expectExactEquality(sim, db.pool, templates, expect);
  const wm = await db.pool.query(
    "SELECT count(*)::int AS n FROM watermarks WHERE last_export_status <> 'completed'",
  );
  expect(wm.rows[0].n).toBe(0);
}

describe('graceful shutdown of the CLI', () => {
  it.each([
    ['SIGTERM', 143],
    ['SIGINT', 130],
  ] as const)(
    '%s: exit %i, summary printed, watermarks interrupted, next run resumes',
    async (signal, code) => {
      const { db, config } = await setup();
      const run = startCli(['export', '-c', config, '--yes']);
      expect(await waitFor(async () => (await storedCount(db)) > 0)).toBe(true);
      run.child.kill(signal);
      const result = await run.done;
      expect(result.code, result.stderr).toBe(code);
      expect(result.stderr).toContain(`${signal} received: finishing the batch in flight`);
      expect(result.stdout).toContain(
        'Export interrupted. Everything up to the last committed batch is saved',
      );
      const runs = await db.pool.query('SELECT status FROM export_runs');
      expect(runs.rows).toEqual([{ status: 'interrupted' }]);
      const statuses = await db.pool.query('SELECT DISTINCT last_export_status AS s FROM watermarks');
      expect(statuses.rows).toEqual([{ s: 'interrupted' }]);
      await expectCursorCoverage(sim, db.pool);
      await resumeAndCompare(db, config);
    },
  );

  it.each([
    ['the grace period runs out', 1, 1],
    ['a second signal arrives', 120, 2],
  ])('exits at once with 143 when %s while a write is stuck', async (_what, grace, signals) => {
    const { db, config } = await setup(grace);
    const run = startCli(['export', '-c', config, '--yes']);
    expect(await waitFor(async () => (await storedCount(db)) > 0)).toBe(true);
    // Block every further statement on the compositions table: the batch in flight cannot finish.
    const blocker = await db.pool.connect();
    try {
      await blocker.query('BEGIN');
      await blocker.query('LOCK TABLE compositions IN ACCESS EXCLUSIVE MODE');
      const waiting = async () =>
        Number(
          (
            await db.pool.query(
              "SELECT count(*) AS n FROM pg_stat_activity WHERE datname = $1 AND wait_event_type = 'Lock'",
              [db.name],
            )
          ).rows[0].n,
        ) > 0;
      expect(await waitFor(waiting)).toBe(true);
      run.child.kill('SIGTERM');
      if (signals === 2) {
        // Signals do not queue: send the second once the first has been handled.
        expect(await waitFor(async () => run.output.stderr.includes('SIGTERM received'))).toBe(true);
        run.child.kill('SIGTERM');
      }
      const result = await run.done;
      expect(result.code, result.stderr).toBe(143);
      expect(result.stderr).toMatch(
        signals === 2 ? /Second SIGTERM: exiting now/ : /did not finish within 1s: exiting now/,
      );
    } finally {
      await blocker.query('ROLLBACK');
      blocker.release();
    }
    await expectCursorCoverage(sim, db.pool);
    await resumeAndCompare(db, config);
  });
});
