import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

let sim: Simulator;
let token: string;

beforeAll(async () => {
  sim = await startSimulator({ flavour: 'better', auth: 'bearer', seed: 21, ehrs: 10, compositions: 60 });
  const r = await call(sim.tokenUrl, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams({
      grant_type: 'password',
      client_id: 'portal',
      username: 'ehrbase-user',
      password: 'SuperSecretPassword',
    }).toString(),
  });
  token = r.json.access_token;
});
afterAll(() => sim.close());

const auth = () => ({ authorization: `Bearer ${token}` });

describe('better flavour (openehr-rest.md §9)', () => {
  it('lives under /ehr/rest/openehr/v1 and needs a bearer token', async () => {
    expect(sim.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/ehr\/rest\/openehr\/v1$/);
    expect((await call(`${sim.baseUrl}/definition/template/adl1.4`)).status).toBe(401);
    expect((await call(`${sim.baseUrl}/definition/template/adl1.4`, { headers: auth() })).status).toBe(200);
  });

  it('serves FLAT for Accept: application/openehr.wt.flat+json and ignores format=FLAT', async () => {
    const c = [...sim.control.liveCompositions('vital_signs.v1')][1]!;
    const url = `${sim.baseUrl}/ehr/${c.ehrId}/composition/${c.uid}`;
    const flat = await call(url, { headers: { ...auth(), accept: 'application/openehr.wt.flat+json' } });
    expect(flat.json['vital_signs/_uid']).toBe(c.uid);
    const ehrbaseStyle = await call(`${url}?format=FLAT`, {
      headers: { ...auth(), accept: 'application/json' },
    });
    expect(ehrbaseStyle.json._type).toBe('COMPOSITION');
    expect(
      (await call(url, { headers: { ...auth(), accept: 'application/openehr.wt.flat.schema+json' } })).status,
    ).toBe(406);
  });

  it('omits rows when empty, gives relative column paths, accepts offset alone and GET parameters', async () => {
    const empty = await aql(
      sim.baseUrl,
      {
        q: "SELECT c/uid/value AS uid FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value = 'nope'",
      },
      auth(),
    );
    expect(empty.status).toBe(200);
    expect('rows' in empty.json).toBe(false);
    expect(empty.json.columns).toEqual([{ path: '/uid/value', name: 'uid' }]);
    const offset = await aql(sim.baseUrl, { q: 'SELECT e/ehr_id/value FROM EHR e', offset: 8 }, auth());
    expect(offset.json.rows).toHaveLength(2);
    const ehr = sim.control.ehrId(0);
    const q = encodeURIComponent(
      'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr_id',
    );
    const get = await call(`${sim.baseUrl}/query/aql?q=${q}&ehr_id=${ehr}`, { headers: auth() });
    expect(get.status).toBe(200);
    expect(get.json.rows.length).toBeGreaterThan(0);
  });

  it('accepts CONTAINS VERSIONED_OBJECT with vo/time_created', async () => {
    const r = await aql(
      sim.baseUrl,
      {
        q: "SELECT vo/uid/value, vo/time_created/value FROM EHR e CONTAINS VERSIONED_OBJECT vo CONTAINS COMPOSITION c WHERE vo/time_created > '2000-01-01T00:00:00Z'",
        fetch: 3,
      },
      auth(),
    );
    expect(r.status).toBe(200);
    expect(r.json.rows).toHaveLength(3);
    expect(r.json.rows[0][0]).toMatch(/^[0-9a-f-]{36}$/);
  });
});
