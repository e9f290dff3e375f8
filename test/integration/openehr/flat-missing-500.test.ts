import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { openEhrConfig, type TestClient, testClient } from './support.js';

/**
 * EHRbase #1382 emulated by the simulator (`flatMissing500`): a FLAT GET of a missing composition answers
 * 500, the JSON GET 404. The client must report `missing` after one JSON re-check, not fail or retry.
 */
const templateId = 'vital_signs.v1';
let sim: Simulator;
let t: TestClient;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 41,
    ehrs: 6,
    compositions: 30,
    clockTicking: false,
    flatMissing500: true,
  });
  t = testClient(openEhrConfig(sim));
});

afterAll(async () => {
  await t?.client.close();
  await sim?.close();
});

describe('fetchFlat against EHRbase #1382 behaviour', () => {
  it('reports an unknown composition as missing after one FLAT GET and one JSON re-check', async () => {
    const ehrId = sim.control.ehrId(2);
    const uid = '0badc0de-0000-4000-8000-000000000042::local.ehrbase.org::1';
    const retries = t.client.stats().retries;
    sim.control.resetStats();
    expect(await t.client.fetchFlat(ehrId, uid)).toEqual({ status: 'missing', uid });
    expect(sim.control.stats().composition).toBe(2);
    expect(t.client.stats().retries).toBe(retries);
  });

  it('reports a version past the latest of an existing composition as missing', async () => {
    const c = [...sim.control.liveCompositions(templateId)][0]!;
    const uid = `${c.objectId}::local.ehrbase.org::99`;
    expect(await t.client.fetchFlat(c.ehrId, uid)).toEqual({ status: 'missing', uid });
  });

  it('still fetches existing compositions and reports deletions, each with a single GET', async () => {
    const [ok, gone] = [...sim.control.liveCompositions(templateId)];
    sim.control.delete(gone!.objectId);
    sim.control.resetStats();
    const fetched = await t.client.fetchFlat(ok!.ehrId, ok!.uid);
    expect(fetched.status === 'ok' && fetched.flat).toEqual(sim.control.getFlat(ok!.uid));
    expect(await t.client.fetchFlat(gone!.ehrId, gone!.objectId)).toEqual({
      status: 'deleted',
      uid: gone!.objectId,
    });
    expect(sim.control.stats().composition).toBe(2);
  });
});
