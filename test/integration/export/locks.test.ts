import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { exitCodeOf } from '../../../src/export/summary.js';
import { openStore } from '../../../src/store/index.js';
import { createTestDatabase, type TestDatabase } from '../../support/db.js';
import {
  contextFor,
  expectExactEquality,
  runExport,
  startSim,
  storedRows,
  sumCounts,
  tomlFor,
} from './harness.js';

let sim: Simulator;
let db: TestDatabase;
let templates: string[];
let toml: string;

beforeAll(async () => {
  sim = await startSim({ seed: 3, ehrs: 20, compositions: 300 });
  templates = sim.control.templateIds().slice(0, 1);
  db = await createTestDatabase();
  toml = tomlFor(sim, db.url, templates);
});
afterAll(async () => {
  await sim?.close();
});

describe('two exporters on one database', () => {
  it('lock = fail: the second exporter reports the locked template clearly and writes nothing', async () => {
    const ctx = await contextFor(toml);
    const holder = await openStore({ ...ctx, logger: pino({ level: 'silent' }) });
    const release = await holder.lockTemplate(templates[0]!, 'fail');
    try {
      const summary = await runExport(toml, { flags: { lock: 'fail' } });
      expect(summary.templates[0]?.status).toBe('skipped');
      expect(summary.templates[0]?.error).toMatch(/is locked: another Atlas export is running on it/);
      expect(exitCodeOf(summary, 130)).toBe(1);
      expect((await storedRows(db.pool)).size).toBe(0);
    } finally {
      await release();
      await holder.close();
    }
  });

  it('lock = wait: the second exporter waits for the first and then finds nothing to do', async () => {
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 3 } } });
    const first = runExport(toml, { flags: { lock: 'wait' } });
    // Start the second one once the first is writing (it holds the template lock by then).
    for (let i = 0; i < 500 && (await storedRows(db.pool)).size === 0; i++)
      await new Promise((r) => setTimeout(r, 10));
    const second = runExport(toml, { flags: { lock: 'wait' } });
    const [a, b] = await Promise.all([first, second]);
    sim.control.setFaults({ endpoints: { composition: { latencyMs: 0 } } });
    expect(a.status).toBe('completed');
    expect(b.status).toBe('completed');
    const total = await expectExactEquality(sim, db.pool, templates, expect);
    expect(sumCounts(a, 'inserted')).toBe(total);
    expect(sumCounts(b, 'inserted') + sumCounts(b, 'updated')).toBe(0);
    expect(sumCounts(b, 'fetched')).toBe(0);
  });
});
