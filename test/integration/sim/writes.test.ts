import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

let sim: Simulator;
let ehrId: string;

beforeAll(async () => {
  sim = await startSimulator({
    seed: 5,
    ehrs: 5,
    compositions: 20,
    clockStart: '2025-03-01T12:00:00Z',
    clockTicking: false,
  });
  ehrId = sim.control.ehrId(0);
});
afterAll(() => sim.close());

const FLAT = {
  'ctx/language': 'en',
  'ctx/territory': 'GB',
  'vital_signs/context/start_time': '2025-02-28T08:00:00.000+01:00',
  'vital_signs/body_temperature:0/any_event:0/temperature|magnitude': 39.4,
  'vital_signs/body_temperature:0/any_event:0/temperature|unit': '°C',
  'vital_signs/body_temperature:0/any_event:0/time': '2025-02-28T08:01:00.000+01:00',
  'vital_signs/composer|name': 'Dr. Test',
};

const post = (
  body: unknown,
  query = '?format=FLAT&templateId=vital_signs.v1',
  headers: Record<string, string> = {},
) =>
  call(`${sim.baseUrl}/ehr/${ehrId}/composition${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  });

describe('REST writes (openehr-rest.md §3.4)', () => {
  it('POST FLAT → 204 with Location (object id) and ETag (version 1); the FLAT reads back with the server uid', async () => {
    const r = await post(FLAT);
    expect(r.status).toBe(204);
    const location = r.headers.get('location')!;
    const objectId = location.split('/').pop()!;
    expect(objectId).toMatch(/^[0-9a-f-]{36}$/);
    expect(r.headers.get('etag')).toBe(`"${objectId}::local.ehrbase.org::1"`);
    const flat = await call(`${location}?format=FLAT`);
    expect(flat.json['vital_signs/_uid']).toBe(`${objectId}::local.ehrbase.org::1`);
    expect(flat.json['vital_signs/body_temperature:0/any_event:0/temperature|magnitude']).toBe(39.4);
    expect(Object.keys(flat.json).some((k) => k.startsWith('ctx/'))).toBe(false);
    const canonical = await call(location);
    expect(canonical.json.archetype_details.template_id.value).toBe('vital_signs.v1');
    expect(canonical.json.content[0].data.events[0].data.items[0].value).toEqual({
      _type: 'DV_QUANTITY',
      magnitude: 39.4,
      units: '°C',
    });
    const seen = await aql(sim.baseUrl, {
      q: 'SELECT v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c WHERE c/uid/value = $u',
      query_parameters: { u: `${objectId}::local.ehrbase.org::1` },
    });
    expect(seen.json.rows).toEqual([['2025-03-01T12:00:00Z']]);
  });

  it('POST with Prefer: return=representation → 201 with the body; canonical POST works too', async () => {
    const r = await post(FLAT, '?format=FLAT&templateId=vital_signs.v1', { prefer: 'return=representation' });
    expect(r.status).toBe(201);
    expect(r.json['vital_signs/composer|name']).toBe('Dr. Test');
    const canonical = (await call(`${r.headers.get('location')}`)).json;
    delete canonical.uid;
    const again = await post(canonical, '', { prefer: 'return=representation' });
    expect(again.status).toBe(201);
    expect(again.json.uid.value).toMatch(/::local\.ehrbase\.org::1$/);
    const flat = await call(`${again.headers.get('location')}?format=FLAT`);
    expect(flat.json['vital_signs/body_temperature:0/any_event:0/temperature|magnitude']).toBe(39.4);
  });

  it('rejects FLAT without templateId (400) and unknown templates (422)', async () => {
    expect((await post(FLAT, '?format=FLAT')).status).toBe(400);
    expect((await post(FLAT, '?format=FLAT&templateId=nope.v1')).status).toBe(422);
  });

  it('rejects FLAT keys the template does not have with 400 `Could not consume Parts [...]`, as EHRbase', async () => {
    const r = await post({
      ...FLAT,
      'vital_signs/body_temperature:0/any_event:0/no_such_node|magnitude': 1,
      'vital_signs/context/start_time|bogus': 'x',
    });
    expect(r.status).toBe(400);
    expect(r.json.message).toBe(
      'Could not consume Parts [vital_signs/body_temperature:0/any_event:0/no_such_node|magnitude, vital_signs/context/start_time|bogus]',
    );
    const wrongType = await post({
      ...FLAT,
      'vital_signs/body_temperature:0/any_event:0/temperature|magnitude': 'warm',
    });
    expect(wrongType.status).toBe(400);
    expect(wrongType.json.message).toContain('temperature|magnitude');
  });

  it('PUT with If-Match creates version n+1; a stale If-Match → 412 with the current ETag', async () => {
    const created = await post(FLAT);
    const location = created.headers.get('location')!;
    const v1 = created.headers.get('etag')!;
    const put = (ifMatch: string) =>
      call(`${location}?format=FLAT&templateId=vital_signs.v1`, {
        method: 'PUT',
        headers: { 'content-type': 'application/json', 'if-match': ifMatch },
        body: JSON.stringify({
          ...FLAT,
          'vital_signs/body_temperature:0/any_event:0/temperature|magnitude': 37.0,
        }),
      });
    const ok = await put(v1);
    expect(ok.status).toBe(204);
    expect(ok.headers.get('etag')).toBe(v1.replace('::1"', '::2"'));
    const stale = await put(v1);
    expect(stale.status).toBe(412);
    expect(stale.headers.get('etag')).toBe(ok.headers.get('etag'));
    const flat = await call(`${location}?format=FLAT`);
    expect(flat.json['vital_signs/body_temperature:0/any_event:0/temperature|magnitude']).toBe(37);
  });

  it('DELETE of the latest version → 204; the deletion answers 204, the old version 200, AQL no longer sees it', async () => {
    const created = await post(FLAT);
    const location = created.headers.get('location')!;
    const objectId = location.split('/').pop()!;
    const del = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${objectId}::local.ehrbase.org::1`, {
      method: 'DELETE',
    });
    expect(del.status).toBe(204);
    expect(del.headers.get('etag')).toBe(`"${objectId}::local.ehrbase.org::2"`);
    expect((await call(location)).status).toBe(204);
    expect((await call(`${location}::local.ehrbase.org::2`)).status).toBe(204);
    expect((await call(`${location}::local.ehrbase.org::1?format=FLAT`)).status).toBe(200);
    const again = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${objectId}::local.ehrbase.org::1`, {
      method: 'DELETE',
    });
    expect(again.status).toBe(409);
    const q = await aql(sim.baseUrl, {
      q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/uid/value = $u',
      query_parameters: { u: `${objectId}::local.ehrbase.org::1` },
    });
    expect(q.json.rows).toEqual([]);
  });

  it('POST /ehr creates an EHR usable for commits', async () => {
    const r = await call(`${sim.baseUrl}/ehr`, {
      method: 'POST',
      headers: { prefer: 'return=representation' },
    });
    expect(r.status).toBe(201);
    const id = r.json.ehr_id.value;
    expect((await call(`${sim.baseUrl}/ehr/${id}`)).status).toBe(200);
    const c = sim.control.commit('lab_results.v1', id);
    expect(c.ehrId).toBe(id);
  });
});

describe('control API (programmatic and /_sim)', () => {
  it('commits with FLAT overrides at the sim clock, keeping FLAT and canonical consistent', () => {
    sim.control.setClock('2025-04-01T10:00:00.123456Z');
    const key = 'vital_signs/blood_pressure:0/any_event:0/systolic|magnitude';
    const c = sim.control.commit('vital_signs.v1', ehrId, { [key]: 180 });
    expect(c).toMatchObject({
      ehrId,
      templateId: 'vital_signs.v1',
      timeCommitted: '2025-04-01T10:00:00.123456Z',
    });
    expect(sim.control.getFlat(c.uid)![key]).toBe(180);
    const canonical = sim.control.getCanonical(c.uid) as {
      content: Array<{
        archetype_node_id: string;
        data: { events: Array<{ data: { items: Array<{ value: { magnitude: number } }> } }> };
      }>;
    };
    const bp = canonical.content.find(
      (x) => x.archetype_node_id === 'openEHR-EHR-OBSERVATION.blood_pressure.v2',
    )!;
    expect(bp.data.events[0]!.data.items[0]!.value.magnitude).toBe(180);
    const v2 = sim.control.update(c.objectId, { [key]: 120 });
    expect(v2).toBe(`${c.objectId}::local.ehrbase.org::2`);
    expect(sim.control.getFlat(c.objectId)![key]).toBe(120);
    expect(sim.control.getFlat(c.uid)![key]).toBe(180);
    expect(sim.control.delete(c.objectId)).toBe(`${c.objectId}::local.ehrbase.org::3`);
    expect(sim.control.getFlat(c.objectId)).toBeUndefined();
    expect(() => sim.control.update(c.objectId)).toThrow(/deleted/);
  });

  it('/_sim exposes the same operations over HTTP, plus stats', async () => {
    const j = (path: string, body?: unknown) =>
      call(
        `${sim.controlUrl}/${path}`,
        body === undefined
          ? {}
          : { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) },
      );
    await j('stats/reset', {});
    await call(`${sim.baseUrl}/definition/template/adl1.4`);
    const committed = await j('commit', { templateId: 'problem_list.v1', ehrId });
    expect(committed.status).toBe(201);
    const updated = await j('update', {
      objectId: committed.json.objectId,
      edits: { 'problem_list/problem_diagnosis:0/episode_count': 9 },
    });
    expect(updated.json.uid).toMatch(/::2$/);
    const flat = await j(`compositions/${updated.json.uid}/flat`);
    expect(flat.json['problem_list/problem_diagnosis:0/episode_count']).toBe(9);
    expect((await j('delete', { objectId: committed.json.objectId })).json.uid).toMatch(/::3$/);
    expect((await j('clock', { now: '2025-05-05T05:05:05Z' })).json.now).toBe('2025-05-05T05:05:05Z');
    expect((await j('clock', { advanceMs: 1500 })).json.now).toBe('2025-05-05T05:05:06.5Z');
    const live = await call(`${sim.controlUrl}/live?templateId=lab_results.v1&limit=3`);
    expect(live.json).toHaveLength(3);
    expect((await j('update', { objectId: '00000000-0000-4000-8000-000000000000' })).status).toBe(404);
    const stats = await j('stats');
    expect(stats.json).toMatchObject({ template: 1, aql: 0, composition: 0 });
    expect(stats.json.control).toBeGreaterThanOrEqual(7);
  });
});
