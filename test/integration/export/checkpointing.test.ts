import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, storedRows, tomlFor } from './harness.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 88, ehrs: 40, compositions: 1500 });
  templates = sim.control.templateIds().slice(0, 1);
});
afterAll(async () => {
  await sim?.close();
});

/** Runs an export, aborts it (as the first SIGTERM does) once some rows are stored, and returns its summary. */
async function interruptedRun(db: TestDatabase, toml: string) {
  const abort = new AbortController();
  const run = runExport(toml, { signal: abort.signal });
  for (let i = 0; i < 3000 && (await storedRows(db.pool)).size === 0; i++)
    await new Promise((r) => setTimeout(r, 10));
  abort.abort(new Error('SIGTERM received'));
  return run;
}

const cursorRows = async (db: TestDatabase) =>
  (await db.pool.query('SELECT cursor_uid FROM export_cursors')).rows;

describe('checkpointing', () => {
  it('checkpoint_interval_seconds cuts a batch before the page ends; an interruption keeps what committed', async () => {
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 15 } } });
    try {
      const db = await createTestDatabase();
      // One discovery page holds the whole template: only the interval can cut a batch before its end.
      const toml = tomlFor(sim, db.url, templates, '[state]\ncheckpoint_interval_seconds = 1\n')
        .replace('batch_size = 100', 'batch_size = 1000')
        .replace('parallel_ehrs = 8', 'parallel_ehrs = 1');
      const summary = await interruptedRun(db, toml);
      expect(summary.status).toBe('interrupted');
      const stored = (await storedRows(db.pool)).size;
      const live = [...sim.control.liveCompositions(templates[0]!)].length;
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBeLessThan(live);
      expect(await cursorRows(db)).toHaveLength(1);
      expect((await db.pool.query('SELECT DISTINCT last_export_status AS s FROM watermarks')).rows).toEqual([
        { s: 'interrupted' },
      ]);
      sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
      expect((await runExport(toml)).status).toBe('completed');
      await expectExactEquality(sim, db.pool, templates, expect);
    } finally {
      sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
    }
  });

  it('enable_checkpointing = false: rows are written per batch, the cursor only after the last one', async () => {
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 10 } } });
    try {
      const db = await createTestDatabase();
      const toml = tomlFor(sim, db.url, templates, '[state]\nenable_checkpointing = false\n').replace(
        'parallel_ehrs = 8',
        'parallel_ehrs = 1',
      );
      const summary = await interruptedRun(db, toml);
      expect(summary.status).toBe('interrupted');
      expect((await storedRows(db.pool)).size).toBeGreaterThan(0);
      expect(await cursorRows(db)).toEqual([]);
      sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
      expect((await runExport(toml)).status).toBe('completed');
      expect(await cursorRows(db)).toEqual([
        { cursor_uid: [...sim.control.liveCompositions(templates[0]!)].at(-1)!.uid },
      ]);
      await expectExactEquality(sim, db.pool, templates, expect);
    } finally {
      sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
    }
  });
});
