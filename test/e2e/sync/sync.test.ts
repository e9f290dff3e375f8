import { writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { expectExactEquality, startSim, storedRows, tomlFor } from '../../integration/export/harness.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { ensureBuilt, runCli, waitFor, writeConfig } from '../export/cli.js';
import { cyclesDone, sampleSum, scrape, startSync } from './service.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  await ensureBuilt();
  sim = await startSim({ seed: 1717, ehrs: 30, compositions: 600 });
  templates = sim.control.templateIds().slice(0, 2);
}, 300_000);
afterAll(async () => {
  await sim?.close();
});

async function setup(): Promise<{ db: TestDatabase; config: string }> {
  const db = await createTestDatabase();
  return { db, config: writeConfig(tomlFor(sim, db.url, templates)).file };
}

/** Whether the target holds exactly the source's live compositions at their latest versions. */
async function inStep(db: TestDatabase): Promise<boolean> {
  for (const t of templates) {
    const rows = await storedRows(db.pool, t);
    for (const c of sim.control.liveCompositions(t)) {
      if (rows.get(c.objectId)?.composition_uid !== c.uid) return false;
    }
  }
  return true;
}

describe('atlas sync', () => {
  it('follows commits to the source within one interval, serves /healthz, /readyz and parseable /metrics, stops on SIGTERM with 0', async () => {
    const { db, config } = await setup();
    const sync = await startSync(config, ['--every', '2s']);
    try {
      expect(await waitFor(() => inStep(db), 120_000, 200), sync.output.stderr).toBe(true);
      expect((await fetch(`${sync.url}/healthz`)).status).toBe(200);
      const ready = await fetch(`${sync.url}/readyz`);
      const report = (await ready.json()) as { ready: boolean; database: { ok: boolean } };
      expect(ready.status, JSON.stringify(report)).toBe(200);
      expect(report).toMatchObject({ ready: true, database: { ok: true }, openehr: { ok: true } });

      // New compositions and a new version, committed while the service runs.
      const cyclesBefore = await cyclesDone(sync.url);
      sim.control.advanceClock(60_000);
      for (const t of templates) sim.control.commit(t);
      const some = [...sim.control.liveCompositions(templates[0]!)][3]!;
      sim.control.update(some.objectId);
      expect(await waitFor(() => inStep(db), 60_000, 100), sync.output.stderr).toBe(true);
      // Within one interval: the cycle running when they were committed may have missed them, the next not.
      expect(await cyclesDone(sync.url)).toBeLessThanOrEqual(cyclesBefore + 2);
      await expectExactEquality(sim, db.pool, templates, expect);

      const families = await scrape(sync.url);
      const names = new Set(families.map((f) => f.name));
      for (const name of [
        'atlas_compositions_exported_total',
        'atlas_compositions_updated_total',
        'atlas_sync_lag_seconds',
        'atlas_sync_last_success_timestamp_seconds',
        'atlas_sync_cycle_duration_seconds',
        'atlas_source_requests_total',
        'atlas_source_request_duration_seconds',
        'atlas_database_write_duration_seconds',
        'atlas_governor_concurrency',
        'atlas_governor_requests_per_second',
      ]) {
        expect(names, name).toContain(name);
      }
      const stored = Number((await db.pool.query('SELECT count(*) AS n FROM compositions')).rows[0].n);
      const exported = sampleSum(families, 'atlas_compositions_exported_total');
      // Every stored row was written once, plus the new version of `some`.
      expect(exported).toBe(stored + 1);
      for (const t of templates) {
        expect(sampleSum(families, 'atlas_sync_lag_seconds', { template_id: t }), t).toBeGreaterThan(0);
      }
      expect(sampleSum(families, 'atlas_compositions_updated_total', { template_id: templates[0]! })).toBe(1);
      // The governor reports its fetch concurrency (1..parallel_ehrs) for the client of each cycle.
      expect(sampleSum(families, 'atlas_governor_concurrency')).toBeGreaterThanOrEqual(1);
      const cycle = families.find((f) => f.name === 'atlas_sync_cycle_duration_seconds');
      expect(cycle?.type).toBe('HISTOGRAM');
      expect(Number(cycle?.metrics[0]?.count)).toBeGreaterThan(0);
      expect(
        sampleSum(families, 'atlas_source_requests_total', { endpoint: 'composition', status: '200' }),
      ).toBeGreaterThan(0);
    } finally {
      sync.child.kill('SIGTERM');
    }
    const result = await sync.done;
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain('SIGTERM received: finishing the batch in flight');
  });

  it('--once runs one cycle and exits 0; a second sync on the same embedded database is refused', async () => {
    const { db, config } = await setup();
    const once = await runCli(['sync', '-c', config, '--once', '--listen', '127.0.0.1:0']);
    expect(once.code, once.stderr).toBe(0);
    await expectExactEquality(sim, db.pool, templates, expect);

    const embedded = writeConfig('');
    const toml = embedded.file;
    writeFileSync(
      toml,
      tomlFor(sim, db.url, templates, `[embedded]\npath = "${embedded.dir}/db"\n`)
        .replace('database_target = "postgresql"', 'database_target = "embedded"')
        .replace(/\[postgresql\]\nconnection_string = "[^"]*"\n/, ''),
    );
    const first = await startSync(toml, ['--every', '1h']);
    try {
      const second = await runCli(['sync', '-c', toml, '--listen', '127.0.0.1:0']);
      expect(second.code).toBe(2);
      expect(second.stderr).toContain('the embedded database allows only one sync instance');
    } finally {
      first.child.kill('SIGTERM');
    }
    expect((await first.done).code).toBe(0);
  });

  it('SIGHUP reloads the configuration: a template added to the file is followed from the next cycle', async () => {
    const db = await createTestDatabase();
    const added = sim.control.templateIds()[2]!;
    const { file } = writeConfig(tomlFor(sim, db.url, templates));
    const sync = await startSync(file, ['--every', '1h']);
    try {
      expect(await waitFor(() => inStep(db), 120_000, 200), sync.output.stderr).toBe(true);
      writeFileSync(file, tomlFor(sim, db.url, [...templates, added]));
      sync.child.kill('SIGHUP');
      const live = [...sim.control.liveCompositions(added)].length;
      const stored = async () =>
        Number(
          (await db.pool.query('SELECT count(*) AS n FROM compositions WHERE template_id = $1', [added]))
            .rows[0].n,
        );
      expect(await waitFor(async () => (await stored()) === live, 120_000, 200), sync.output.stderr).toBe(
        true,
      );
      expect(sync.output.stderr).toContain('configuration reloaded (SIGHUP)');
    } finally {
      sync.child.kill('SIGTERM');
    }
    expect((await sync.done).code).toBe(0);
  });

  it('a failing cycle does not stop the service: it backs off, shows in metrics, logs and /readyz, then recovers', async () => {
    const db = await createTestDatabase();
    const extra = '[sync]\nready_failed_cycles = 2\nmax_backoff_seconds = 3\n';
    const { file } = writeConfig(tomlFor(sim, db.url, templates, extra));
    sim.control.setFaults({ errorRates: { 500: 1 } });
    const sync = await startSync(file, ['--every', '1s']);
    try {
      const failures = async () =>
        sampleSum(await scrape(sync.url), 'atlas_sync_cycles_total', { result: 'failure' });
      expect(await waitFor(async () => (await failures()) >= 2, 120_000, 100), sync.output.stderr).toBe(true);
      const notReady = await fetch(`${sync.url}/readyz`);
      expect(notReady.status).toBe(503);
      expect(await notReady.json()).toMatchObject({
        ready: false,
        openehr: { ok: false },
        cycles: { ok: false },
      });
      expect((await fetch(`${sync.url}/healthz`)).status).toBe(200);
      const lines = sync.output.stderr
        .split('\n')
        .filter((l) => l.startsWith('{'))
        .map((l) => JSON.parse(l) as { msg: string; result?: string; nextInSeconds?: number });
      expect(lines.some((l) => l.msg === 'sync cycle finished' && l.result === 'failure')).toBe(true);
      // The wait after failed cycles is longer than the interval (1 s): 2 s, then 3 s (the maximum), + jitter.
      const waits = lines.filter((l) => l.msg === 'next sync cycle scheduled' && l.result === 'failure');
      expect(waits.map((l) => l.nextInSeconds ?? 0).every((s) => s >= 2 && s <= 3.3)).toBe(true);
      sim.control.setFaults({ errorRates: { 500: 0 } });
      expect(await waitFor(() => inStep(db), 120_000, 200), sync.output.stderr).toBe(true);
      expect(await waitFor(async () => (await fetch(`${sync.url}/readyz`)).status === 200, 60_000, 200)).toBe(
        true,
      );
      const families = await scrape(sync.url);
      expect(sampleSum(families, 'atlas_sync_consecutive_failures')).toBe(0);
      expect(sampleSum(families, 'atlas_source_requests_total', { status: '500' })).toBeGreaterThan(0);
      expect(sampleSum(families, 'atlas_source_retries_total', { reason: '500' })).toBeGreaterThan(0);
    } finally {
      sim.control.setFaults({ errorRates: { 500: 0 } });
      sync.child.kill('SIGTERM');
    }
    expect((await sync.done).code).toBe(0);
  }, 300_000);
});
