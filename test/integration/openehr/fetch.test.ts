import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { OpenEhrHttpError } from '../../../src/openehr/index.js';
import { openEhrConfig, type TestClient, testClient, warnings } from './support.js';

let sim: Simulator;
let t: TestClient;
let templateId: string;

beforeAll(async () => {
  sim = await startSimulator({ seed: 11, ehrs: 10, compositions: 60, clockTicking: false });
  templateId = sim.control.templateIds()[0]!;
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('FLAT fetch (EHRbase flavour)', () => {
  it('returns the FLAT exactly as served, with its size', async () => {
    const c = [...sim.control.liveCompositions(templateId)][0]!;
    const result = await t.client.fetchFlat(c.ehrId, c.uid);
    expect(result.status).toBe('ok');
    if (result.status !== 'ok') return;
    expect(result.flat).toEqual(sim.control.getFlat(c.uid));
    expect(result.bytes).toBeGreaterThan(JSON.stringify(result.flat).length / 2);
    expect(t.client.stats().bytesReceived).toBeGreaterThanOrEqual(result.bytes);
  });

  it('fetches the latest version by versioned-object id', async () => {
    const c = [...sim.control.liveCompositions(templateId)][1]!;
    const result = await t.client.fetchFlat(c.ehrId, c.objectId);
    expect(result.status === 'ok' && result.flat).toEqual(sim.control.getFlat(c.objectId));
  });

  it('reports a deleted version (204) as deleted', async () => {
    const c = [...sim.control.liveCompositions(templateId)][2]!;
    sim.control.delete(c.objectId);
    expect(await t.client.fetchFlat(c.ehrId, c.objectId)).toEqual({ status: 'deleted', uid: c.objectId });
  });

  it('reports an unknown composition as missing, without retrying', async () => {
    const ehrId = sim.control.ehrId(0);
    const uid = '00000000-0000-4000-8000-000000000000::local.ehrbase.org::1';
    sim.control.resetStats();
    const before = t.client.stats().retries;
    expect(await t.client.fetchFlat(ehrId, uid)).toEqual({ status: 'missing', uid });
    expect(t.client.stats().retries).toBe(before);
    expect(sim.control.stats().composition).toBeLessThanOrEqual(2); // FLAT GET (+ one JSON re-check after a 500)
  });

  it('re-checks a 500 on a FLAT GET in canonical JSON: 404 there means missing (ehrbase #1382)', async () => {
    sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0.5 } } } });
    try {
      const ehrId = sim.control.ehrId(1);
      const uids = Array.from(
        { length: 8 },
        (_, i) => `00000000-0000-4000-8000-00000000000${i}::local.ehrbase.org::1`,
      );
      sim.control.resetStats();
      const results = await Promise.all(uids.map((uid) => t.client.fetchFlat(ehrId, uid)));
      expect(results.map((r) => r.status)).toEqual(uids.map(() => 'missing'));
      expect(sim.control.stats().composition).toBeGreaterThan(uids.length); // the re-checks
    } finally {
      sim.control.setFaults({ endpoints: { composition: { errorRates: { 500: 0 } } } });
    }
  });

  it('gets the web template and the template list; an unknown template is a 404, not retried', async () => {
    const list = await t.client.listTemplates();
    expect(list.map((x) => x.templateId)).toEqual(expect.arrayContaining(sim.control.templateIds()));
    const wt = (await t.client.getWebTemplate(templateId)) as { templateId?: string; tree?: unknown };
    expect(wt.templateId).toBe(templateId);
    expect(wt.tree).toBeTypeOf('object');
    sim.control.resetStats();
    const err = await t.client.getWebTemplate("no such 'template'").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(OpenEhrHttpError);
    expect((err as OpenEhrHttpError).status).toBe(404);
    expect(sim.control.stats().template).toBe(1);
  });

  it('pings with an AQL round trip and reads the EHRbase version from the status endpoint', async () => {
    const result = await t.client.ping();
    expect(result.serverVersion).toMatch(/^EHRbase /);
  });

  it('warns once at start when TLS verification is switched off', async () => {
    const insecure = testClient(openEhrConfig(sim, { tlsVerify: false }));
    try {
      const tlsWarnings = warnings(insecure.logs).filter((w) =>
        /TLS certificate verification is DISABLED/.test(w.msg),
      );
      expect(tlsWarnings).toHaveLength(1);
      await insecure.client.ping();
      expect(warnings(insecure.logs).filter((w) => /TLS/.test(w.msg))).toHaveLength(1);
    } finally {
      await insecure.client.close();
    }
    expect(warnings(t.logs).filter((w) => /TLS/.test(w.msg))).toHaveLength(0);
  });

  it('counts requests by kind', () => {
    const stats = t.client.stats();
    expect(stats.byKind.composition).toBeGreaterThan(0);
    expect(stats.byKind.aql).toBeGreaterThan(0);
    expect(stats.byKind.template).toBeGreaterThan(0);
    expect(stats.requests).toBe(Object.values(stats.byKind).reduce((a, b) => a + b, 0));
  });
});
