import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Simulator } from '../../../sim/index.js';
import { createTestDatabase } from '../../support/db.js';
import { expectExactEquality, runExport, startSim, sumCounts, tomlFor } from './harness.js';

let sim: Simulator;
let templates: string[];

beforeAll(async () => {
  sim = await startSim({ seed: 77, ehrs: 30, compositions: 500 });
  templates = sim.control.templateIds().slice(0, 3);
});
afterAll(async () => {
  await sim?.close();
});

describe('export under injected faults', () => {
  it('finishes with exact equality despite 5xx, 429, resets, truncated bodies and latency', async () => {
    sim.control.setFaults({
      latencyMs: 1,
      retryAfterSeconds: 0,
      errorRates: { 500: 0.04, 502: 0.03, 503: 0.03, 429: 0.03 },
      resetRate: 0.03,
      truncateRate: 0.03,
      maxFetch: 150,
    });
    const db = await createTestDatabase();
    const toml = tomlFor(sim, db.url, templates).replace('max_retries = 6', 'max_retries = 12');
    const first = await runExport(toml, { flags: { mode: 'full' } });
    expect(first.status).toBe('completed');
    await expectExactEquality(sim, db.pool, templates, expect);

    // Changes under the same faults, picked up incrementally.
    sim.control.advanceClock(600_000);
    for (const t of templates) sim.control.commit(t);
    const victim = [...sim.control.liveCompositions(templates[0]!)][4]!;
    sim.control.update(victim.objectId);
    const second = await runExport(toml);
    expect(second.status).toBe('completed');
    expect(sumCounts(second, 'inserted')).toBe(templates.length);
    expect(sumCounts(second, 'updated')).toBe(1);
    await expectExactEquality(sim, db.pool, templates, expect);
    sim.control.setFaults({
      latencyMs: 0,
      errorRates: { 500: 0, 502: 0, 503: 0, 429: 0 },
      resetRate: 0,
      truncateRate: 0,
    });
  });
});
