import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

/**
 * Two behaviours of real servers the exporter must cope with, switchable per simulator: no VERSION in AQL
 * FROM (older EHRbase, other CDRs) and EHRbase #1382 (FLAT GET of a missing composition → 500).
 */

const VERSION_QUERY =
  'SELECT c/uid/value, v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v ' +
  'CONTAINS COMPOSITION c ORDER BY v/commit_audit/time_committed ASC';
const LATEST_VERSION_QUERY =
  'SELECT c/uid/value FROM EHR e CONTAINS VERSION v[LATEST_VERSION] CONTAINS COMPOSITION c';
const PLAIN_QUERY = 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c ORDER BY c/uid/value ASC';
const MISSING_UUID = '0badc0de-0000-4000-8000-000000000001';
const GENERIC_500 = {
  error: 'Internal Server Error',
  message: 'An internal error has occurred. Please contact your administrator.',
};

async function postFaults(sim: Simulator, faults: unknown) {
  return call(`${sim.controlUrl}/faults`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(faults),
  });
}

describe('rejectVersionQueries (a server without VERSION in FROM)', () => {
  let sim: Simulator;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 5, ehrs: 4, compositions: 12, rejectVersionQueries: true });
  });
  afterAll(() => sim.close());

  it('answers any CONTAINS VERSION query 400 Not implemented, other queries as usual', async () => {
    for (const q of [VERSION_QUERY, LATEST_VERSION_QUERY]) {
      const r = await aql(sim.baseUrl, { q });
      expect(r.status).toBe(400);
      expect(r.json.error).toBe('Bad Request');
      expect(r.json.message).toMatch(/^Not implemented: .*VERSION/);
    }
    const get = await call(`${sim.baseUrl}/query/aql?q=${encodeURIComponent(VERSION_QUERY)}`);
    expect([get.status, get.json.message.startsWith('Not implemented: ')]).toEqual([400, true]);
    const plain = await aql(sim.baseUrl, { q: PLAIN_QUERY });
    expect(plain.status).toBe(200);
    expect(plain.json.rows.length).toBe(sim.control.totals().live);
  });

  it('is a runtime setting: off and on again through /_sim/faults, even for a cached query text', async () => {
    try {
      const off = await postFaults(sim, { rejectVersionQueries: false });
      expect(off.json.rejectVersionQueries).toBe(false);
      const ok = await aql(sim.baseUrl, { q: VERSION_QUERY });
      expect(ok.status).toBe(200);
      expect(ok.json.rows.length).toBe(sim.control.totals().live);
      expect((await postFaults(sim, { rejectVersionQueries: true })).status).toBe(200);
      expect((await aql(sim.baseUrl, { q: VERSION_QUERY })).status).toBe(400);
    } finally {
      sim.control.setFaults({ rejectVersionQueries: true });
    }
  });

  it('is off by default: VERSION queries work as on EHRbase 2.x', async () => {
    const plainSim = await startSimulator({ seed: 5, ehrs: 4, compositions: 12 });
    try {
      expect(plainSim.control.faults().rejectVersionQueries).toBeUndefined();
      expect((await aql(plainSim.baseUrl, { q: VERSION_QUERY })).status).toBe(200);
      plainSim.control.setFaults({ rejectVersionQueries: true });
      expect((await aql(plainSim.baseUrl, { q: VERSION_QUERY })).status).toBe(400);
    } finally {
      await plainSim.close();
    }
  });
});

describe('flatMissing500 (EHRbase #1382)', () => {
  let sim: Simulator;
  let ehrId: string;
  let uid: string;
  beforeAll(async () => {
    sim = await startSimulator({ seed: 6, ehrs: 4, compositions: 12, flatMissing500: true });
    const c = [...sim.control.liveCompositions('vital_signs.v1')][0]!;
    ehrId = c.ehrId;
    uid = c.uid;
  });
  afterAll(() => sim.close());

  const get = (id: string, format: string, ehr = ehrId, accept?: string) =>
    call(`${sim.baseUrl}/ehr/${ehr}/composition/${id}?format=${format}`, {
      headers: accept ? { accept } : {},
    });

  it('answers a FLAT GET of a missing composition 500 (generic body), format=JSON 404', async () => {
    const flat = await get(MISSING_UUID, 'FLAT');
    expect([flat.status, flat.json]).toEqual([500, GENERIC_500]);
    const json = await get(MISSING_UUID, 'JSON');
    expect([json.status, json.json.message]).toEqual([404, "Couldn't retrieve composition"]);
  });

  it('also for a version number past the latest of an existing composition', async () => {
    const [objectId, system] = uid.split('::');
    const future = `${objectId}::${system}::99`;
    expect((await get(future, 'FLAT')).status).toBe(500);
    expect((await get(future, 'JSON')).status).toBe(404);
  });

  it('leaves existing compositions, deletions, unknown EHRs and other formats alone', async () => {
    const ok = await get(uid, 'FLAT');
    expect(ok.status).toBe(200);
    expect(ok.json).toEqual(sim.control.getFlat(uid));
    const gone = [...sim.control.liveCompositions('vital_signs.v1')][1]!;
    sim.control.delete(gone.objectId);
    expect((await get(gone.objectId, 'FLAT', gone.ehrId)).status).toBe(204);
    expect((await get(MISSING_UUID, 'FLAT', '0badc0de-0000-4000-8000-0000000000ee')).status).toBe(404);
    expect((await get(MISSING_UUID, 'STRUCTURED')).status).toBe(404);
    expect((await get(MISSING_UUID, 'XML', ehrId, 'application/xml')).status).toBe(404);
  });

  it('is a runtime setting (off by default)', async () => {
    try {
      expect((await postFaults(sim, { flatMissing500: false })).json.flatMissing500).toBe(false);
      expect((await get(MISSING_UUID, 'FLAT')).status).toBe(404);
    } finally {
      sim.control.setFaults({ flatMissing500: true });
    }
    expect((await get(MISSING_UUID, 'FLAT')).status).toBe(500);
    const plainSim = await startSimulator({ seed: 6, ehrs: 4, compositions: 12 });
    try {
      const r = await call(`${plainSim.baseUrl}/ehr/${ehrId}/composition/${MISSING_UUID}?format=FLAT`);
      expect(r.status).toBe(404);
    } finally {
      await plainSim.close();
    }
  });
});

describe('both quirks in the Better flavour', () => {
  it('apply to FLAT by Accept header and to VERSION queries alike', async () => {
    const sim = await startSimulator({
      seed: 7,
      ehrs: 3,
      compositions: 6,
      flavour: 'better',
      rejectVersionQueries: true,
      flatMissing500: true,
    });
    try {
      const ehrId = sim.control.ehrId(0);
      const url = `${sim.baseUrl}/ehr/${ehrId}/composition/${MISSING_UUID}`;
      expect((await call(url, { headers: { accept: 'application/openehr.wt.flat+json' } })).status).toBe(500);
      expect((await call(url, { headers: { accept: 'application/json' } })).status).toBe(404);
      expect((await aql(sim.baseUrl, { q: VERSION_QUERY })).status).toBe(400);
    } finally {
      await sim.close();
    }
  });
});
