import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type FaultSpec, type Simulator, startSimulator } from '../../../sim/index.js';
import { ConnectionError } from '../../../src/errors.js';
import { OpenEhrHttpError } from '../../../src/openehr/index.js';
import { collect, FAST_RETRY, openEhrConfig, type TestClient, testClient, warnings } from './support.js';

let sim: Simulator;
let t: TestClient;
let templateId: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 3, ehrs: 20, compositions: 120, clockTicking: false });
  templateId = sim.control.templateIds()[0]!;
  t = testClient(openEhrConfig(sim, { retry: { ...FAST_RETRY, maxRetries: 12 } }));
});

const CLEAR = {
  errorRates: { 500: 0, 502: 0, 503: 0, 429: 0 },
  resetRate: 0,
  truncateRate: 0,
  retryAfterSeconds: 0,
};

/** Faults on the AQL and composition endpoints (per-endpoint settings win over top-level ones in the sim). */
function faultsOn(spec: FaultSpec): void {
  sim.control.setFaults({ endpoints: { aql: spec, composition: spec } });
}

afterEach(() => {
  sim.control.setFaults({ ...CLEAR, endpoints: { aql: CLEAR, composition: CLEAR } });
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

const expectedUids = () => [...sim.control.liveCompositions(templateId)].map((c) => c.uid);

async function fetchAll() {
  const records = await collect(t.client.discoverChanges({ templateId, pageSize: 10 }));
  const results = await Promise.all(records.map((r) => t.client.fetchFlat(r.ehrId, r.uid)));
  return { records, results };
}

describe('retries against injected faults', () => {
  it('retries 500, 502, 503 and 429 and still returns every composition correctly', async () => {
    faultsOn({ errorRates: { 500: 0.1, 502: 0.05, 503: 0.1, 429: 0.1 }, retryAfterSeconds: 0 });
    const retriesBefore = t.client.stats().retries;
    const { records, results } = await fetchAll();
    expect(records.map((r) => r.uid)).toEqual(expectedUids());
    for (const [i, r] of results.entries()) {
      expect(r.status === 'ok' && r.flat).toEqual(sim.control.getFlat(records[i]!.uid));
    }
    expect(t.client.stats().retries).toBeGreaterThan(retriesBefore);
  });

  it("waits for the server's Retry-After (capped at max_delay_ms) instead of the backoff", async () => {
    sim.control.setFaults({ endpoints: { aql: { errorRates: { 503: 1 }, retryAfterSeconds: 3 } } });
    t.logs.length = 0;
    const failing = collect(t.client.discoverChanges({ templateId, pageSize: 10 }));
    const err = await failing.catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenEhrHttpError);
    expect((err as OpenEhrHttpError).status).toBe(503);
    const waits = warnings(t.logs).filter((w) => w.msg.includes('retrying'));
    expect(waits).toHaveLength(12);
    // backoff alone would start at ~1 ms; Retry-After 3 s is honoured up to the 40 ms cap
    expect(waits.every((w) => w.delayMs === FAST_RETRY.maxDelayMs)).toBe(true);
  });

  it.each([
    ['connection resets', { resetRate: 0.15 }],
    ['bodies cut off after half their Content-Length', { truncateRate: 0.15 }],
  ])('retries %s', async (_name, spec) => {
    faultsOn(spec);
    t.logs.length = 0;
    const retriesBefore = t.client.stats().retries;
    const { records, results } = await fetchAll();
    expect(records.map((r) => r.uid)).toEqual(expectedUids());
    for (const [i, r] of results.entries()) {
      expect(r.status === 'ok' && r.flat).toEqual(sim.control.getFlat(records[i]!.uid));
    }
    expect(t.client.stats().retries).toBeGreaterThan(retriesBefore);
    const reasons = warnings(t.logs).map((w) => String(w.reason));
    expect(reasons.every((r) => /UND_ERR_SOCKET|ECONNRESET|not complete JSON/.test(r))).toBe(true);
  });

  it('gives up after max_retries with the last status', async () => {
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 502: 1 } } } });
    sim.control.resetStats();
    const c = [...sim.control.liveCompositions(templateId)][0]!;
    const err = await t.client.fetchFlat(c.ehrId, c.uid).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenEhrHttpError);
    expect((err as OpenEhrHttpError).status).toBe(502);
    expect(sim.control.stats().composition).toBe(13);
  });

  it('does not retry a 400 (AQL or composition) and reports the server message', async () => {
    sim.control.resetStats();
    const retriesBefore = t.client.stats().retries;
    // a negative fetch is what EHRbase answers with 400 "invalid 'fetch' value"
    const aqlErr = await collect(t.client.discoverChanges({ templateId, pageSize: -1 })).catch(
      (e: unknown) => e,
    );
    expect(aqlErr).toBeInstanceOf(OpenEhrHttpError);
    expect((aqlErr as OpenEhrHttpError).status).toBe(400);
    expect((aqlErr as Error).message).toMatch(/invalid 'fetch' value/);
    expect(sim.control.stats().aql).toBe(1);

    const getErr = await t.client.fetchFlat(sim.control.ehrId(0), 'not-a-uuid').catch((e: unknown) => e);
    expect(getErr).toBeInstanceOf(OpenEhrHttpError);
    expect((getErr as OpenEhrHttpError).status).toBe(400);
    expect(sim.control.stats().composition).toBe(1);
    expect(t.client.stats().retries).toBe(retriesBefore);
  });
});

describe('unreachable server', () => {
  it('ends with a ConnectionError naming the server after the retries', async () => {
    const gone = await startSimulator({ seed: 1, ehrs: 1, compositions: 1 });
    const config = openEhrConfig(gone, { retry: { ...FAST_RETRY, maxRetries: 2 } });
    await gone.close();
    const c = testClient(config);
    try {
      const err = await c.client.ping().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ConnectionError);
      expect((err as Error).message).toContain(new URL(config.baseUrl).origin);
      expect((err as Error).message).toMatch(/ECONNREFUSED/);
      expect(c.client.stats().retries).toBe(2);
    } finally {
      await c.client.close();
    }
  });

  it('stops at once when the run is aborted', async () => {
    sim.control.setFaults({ endpoints: { aql: { errorRates: { 503: 1 }, retryAfterSeconds: 0 } } });
    const c = testClient(openEhrConfig(sim, { retry: { ...FAST_RETRY, maxRetries: 1000, maxDelayMs: 5 } }));
    try {
      const pending = collect(c.client.discoverChanges({ templateId, pageSize: 10 })).catch(
        (e: unknown) => e,
      );
      c.abort.abort(new Error('SIGINT'));
      const err = await pending;
      expect((err as Error).message).toBe('SIGINT');
    } finally {
      await c.client.close();
    }
  });
});
