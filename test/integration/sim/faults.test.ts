import { request } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

let sim: Simulator;
let flatUrl: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, ehrs: 5, compositions: 20 });
  const c = [...sim.control.liveCompositions('vital_signs.v1')][0]!;
  flatUrl = `${sim.baseUrl}/ehr/${c.ehrId}/composition/${c.uid}?format=FLAT`;
});
afterAll(() => sim.close());

const templates = () => call(`${sim.baseUrl}/definition/template/adl1.4`);
const count = () => aql(sim.baseUrl, { q: 'SELECT COUNT(c/uid/value) FROM EHR e CONTAINS COMPOSITION c' });

/** Turn every fault off again (tests share one simulator). */
function clear(): void {
  const none = {
    latencyMs: 0,
    errorRates: { 500: 0, 502: 0, 503: 0, 429: 0 },
    resetRate: 0,
    truncateRate: 0,
    slowRate: 0,
  };
  sim.control.setFaults({ ...none, endpoints: { aql: none, composition: none, ehr: none, template: none } });
}

describe('faults, set while running', () => {
  it('injects 503 and 429 with Retry-After on one endpoint while others answer normally', async () => {
    sim.control.setFaults({ endpoints: { aql: { errorRates: { 503: 1 }, retryAfterSeconds: 7 } } });
    try {
      const r = await count();
      expect([r.status, r.headers.get('retry-after'), r.json.error]).toEqual([
        503,
        '7',
        'Service Unavailable',
      ]);
      expect((await call(flatUrl)).status).toBe(200);
      sim.control.setFaults({ endpoints: { aql: { errorRates: { 503: 0, 429: 1 }, retryAfterSeconds: 2 } } });
      const limited = await count();
      expect([limited.status, limited.headers.get('retry-after')]).toEqual([429, '2']);
    } finally {
      clear();
    }
    expect((await count()).status).toBe(200);
  });

  it('injects 500 (EHRbase generic body) and 502 through the /_sim/faults endpoint', async () => {
    const set = (faults: unknown) =>
      call(`${sim.controlUrl}/faults`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify(faults),
      });
    try {
      expect((await set({ endpoints: { composition: { errorRates: { 500: 1 } } } })).status).toBe(200);
      const r = await call(flatUrl);
      expect([r.status, r.json]).toEqual([
        500,
        {
          error: 'Internal Server Error',
          message: 'An internal error has occurred. Please contact your administrator.',
        },
      ]);
      await set({ endpoints: { composition: { errorRates: { 500: 0, 502: 1 } } } });
      expect((await call(flatUrl)).status).toBe(502);
      expect((await templates()).status).toBe(200);
    } finally {
      clear();
    }
  });

  it('resets connections without a response', async () => {
    sim.control.setFaults({ endpoints: { composition: { resetRate: 1 } } });
    try {
      await expect(fetch(flatUrl)).rejects.toThrow();
      expect((await templates()).status).toBe(200);
    } finally {
      clear();
    }
    expect((await call(flatUrl)).status).toBe(200);
  });

  it('truncates bodies: full Content-Length announced, half sent, connection closed', async () => {
    sim.control.setFaults({ endpoints: { composition: { truncateRate: 1 } } });
    try {
      const r = await request(flatUrl);
      expect(r.statusCode).toBe(200);
      const announced = Number(r.headers['content-length']);
      expect(announced).toBeGreaterThan(100);
      await expect(r.body.text()).rejects.toThrow();
    } finally {
      clear();
    }
  });

  it('holds responses longer than a client timeout (slow responses, latency)', async () => {
    sim.control.setFaults({ endpoints: { composition: { slowRate: 1, slowMs: 20_000 } } });
    try {
      await expect(fetch(flatUrl, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|aborted/i);
      expect((await templates()).status).toBe(200);
      sim.control.setFaults({ endpoints: { composition: { slowRate: 0, latencyMs: 20_000 } } });
      await expect(fetch(flatUrl, { signal: AbortSignal.timeout(200) })).rejects.toThrow(/timeout|aborted/i);
      // Top-level latency applies to every endpoint without its own setting (here: status).
      sim.control.setFaults({ latencyMs: 20_000 });
      await expect(fetch(sim.statusUrl, { signal: AbortSignal.timeout(200) })).rejects.toThrow(
        /timeout|aborted/i,
      );
      // Control requests are never delayed, so a test can always switch faults off again.
      expect((await call(`${sim.controlUrl}/stats`)).status).toBe(200);
    } finally {
      clear();
    }
    expect((await call(flatUrl)).status).toBe(200);
  });

  it('draws fault rates from the seed: same seed, same sequence of injected errors', async () => {
    const sequence = async (s: Simulator) => {
      s.control.setFaults({ endpoints: { template: { errorRates: { 500: 0.5 } } } });
      const out: number[] = [];
      for (let k = 0; k < 30; k++) out.push((await call(`${s.baseUrl}/definition/template/adl1.4`)).status);
      return out;
    };
    const a = await startSimulator({ seed: 99, ehrs: 1, compositions: 1 });
    const b = await startSimulator({ seed: 99, ehrs: 1, compositions: 1 });
    try {
      const first = await sequence(a);
      expect(first).toContain(500);
      expect(first).toContain(200);
      expect(await sequence(b)).toEqual(first);
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('starts with faults and max-fetch from the options', async () => {
    const s = await startSimulator({
      ehrs: 1,
      compositions: 1,
      maxFetch: 10,
      faults: { endpoints: { status: { errorRates: { 502: 1 } } } },
    });
    try {
      expect((await call(s.statusUrl)).status).toBe(502);
      const r = await aql(s.baseUrl, { q: 'SELECT e/ehr_id/value FROM EHR e', fetch: 11 });
      expect([r.status, r.json.message]).toEqual([422, 'Fetch parameter 11 exceeds maximum fetch 10']);
      expect(s.control.faults().maxFetch).toBe(10);
    } finally {
      await s.close();
    }
  });
});
