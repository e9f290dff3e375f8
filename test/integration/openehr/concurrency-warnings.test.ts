import { setImmediate as nextTurn } from 'node:timers/promises';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { openEhrConfig, type TestClient, testClient } from './support.js';

/**
 * The export fetches many compositions at once on one client, all under the run's abort signal. Each
 * in-flight request listens on it; that is expected, so Node must not print a "possible memory leak"
 * warning on a user's first export.
 */
let sim: Simulator;
let t: TestClient;

beforeAll(async () => {
  sim = await startSimulator({ seed: 51, ehrs: 10, compositions: 60, clockTicking: false });
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('many concurrent requests on one client', () => {
  it('fetch without a MaxListenersExceededWarning on the run signal', async () => {
    const warnings: Error[] = [];
    const onWarning = (w: Error) => {
      if (w.name === 'MaxListenersExceededWarning') warnings.push(w);
    };
    process.on('warning', onWarning);
    try {
      const live = [...sim.control.liveCompositions('vital_signs.v1')].slice(0, 30);
      expect(live.length).toBeGreaterThan(15);
      const results = await Promise.all(live.map((c) => t.client.fetchFlat(c.ehrId, c.uid)));
      expect(results.every((r) => r.status === 'ok')).toBe(true);
      await nextTurn(); // process warnings are emitted on a later tick
      expect(warnings.map((w) => w.message)).toEqual([]);
    } finally {
      process.off('warning', onWarning);
    }
  });
});
