import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEMO_DATA_DIR, type Simulator, startSimulator } from '../../../sim/index.js';
import type { CompositionRecord } from '../../../sim/types.js';
import { call } from './http.js';

let sim: Simulator;
let all: CompositionRecord[];
const LAST_MODIFIED = 'Fri, 02 Jan 1970 10:12:04 GMT';

beforeAll(async () => {
  sim = await startSimulator({ seed: 7, ehrs: 20, compositions: 400, updateRatio: 0.3, deleteRatio: 0.2 });
  all = [...sim.control.allCompositions()];
});
afterAll(() => sim.close());

const compositionUrl = (c: CompositionRecord, id: string) =>
  `${sim.baseUrl}/ehr/${c.ehrId}/composition/${id}`;
const live = () => all.find((c) => !c.deleted && !c.original && c.latestVersion === 1)!;

describe('EHR endpoints', () => {
  it('GET /ehr/{id} returns the EHR with ETag, Location and the mocked Last-Modified', async () => {
    const id = sim.control.ehrId(3);
    const r = await call(`${sim.baseUrl}/ehr/${id}`);
    expect(r.status).toBe(200);
    expect(r.json).toEqual({
      system_id: { value: 'local.ehrbase.org' },
      ehr_id: { value: id },
      ehr_status: {
        id: { _type: 'OBJECT_VERSION_ID', value: expect.stringMatching(/::local\.ehrbase\.org::1$/) },
        namespace: 'local',
        type: 'EHR_STATUS',
      },
      time_created: { value: expect.stringMatching(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/) },
    });
    expect(r.headers.get('etag')).toBe(`"${id}"`);
    expect(r.headers.get('location')).toBe(`${sim.baseUrl}/ehr/${id}`);
    expect(r.headers.get('last-modified')).toBe(LAST_MODIFIED);
  });

  it('404 for unknown and non-UUID EHR ids, with EHRbase error bodies', async () => {
    const unknown = await call(`${sim.baseUrl}/ehr/00000000-0000-4000-8000-000000000000`);
    expect(unknown.status).toBe(404);
    expect(unknown.json).toEqual({
      error: 'Not Found',
      message: 'EHR with id 00000000-0000-4000-8000-000000000000 not found',
    });
    const bad = await call(`${sim.baseUrl}/ehr/not-a-uuid`);
    expect(bad.json).toEqual({
      error: 'Not Found',
      message: 'EHR not found, in fact, only UUID-type IDs are supported',
    });
  });

  it('GET /ehr?subject_id&subject_namespace needs both parameters', async () => {
    const ok = await call(`${sim.baseUrl}/ehr?subject_id=sim-0000004&subject_namespace=atlas.sim`);
    expect([ok.status, ok.json.ehr_id.value]).toEqual([200, sim.control.ehrId(3)]);
    const missing = await call(`${sim.baseUrl}/ehr?subject_id=sim-0000004`);
    expect(missing.status).toBe(400);
    expect((await call(`${sim.baseUrl}/ehr?subject_id=nobody&subject_namespace=atlas.sim`)).status).toBe(404);
  });
});

describe('composition GET', () => {
  it('serves canonical JSON by default and FLAT with format=FLAT, with ETag and Location echoing the id', async () => {
    const c = live();
    const uid = `${c.objectId}::local.ehrbase.org::1`;
    const canonical = await call(compositionUrl(c, c.objectId));
    expect(canonical.status).toBe(200);
    expect(canonical.headers.get('content-type')).toBe('application/json');
    expect(canonical.json._type).toBe('COMPOSITION');
    expect(canonical.json.uid.value).toBe(uid);
    expect(canonical.json.archetype_details.template_id.value).toBe(c.templateId);
    expect(canonical.headers.get('etag')).toBe(`"${uid}"`);
    expect(canonical.headers.get('location')).toBe(compositionUrl(c, c.objectId));
    expect(canonical.headers.get('last-modified')).toBe(LAST_MODIFIED);

    const flat = await call(`${compositionUrl(c, uid)}?format=FLAT`, {
      headers: { accept: 'application/json' },
    });
    expect(flat.headers.get('content-type')).toBe('application/openehr.wt.flat.schema+json');
    const root = Object.keys(flat.json)[0]!.split('/')[0];
    expect(flat.json[`${root}/_uid`]).toBe(uid);
    expect(flat.json[`${root}/context/start_time`]).toBe(canonical.json.context.start_time.value);
    expect(flat.headers.get('location')).toBe(compositionUrl(c, uid));
    expect(flat.json).toEqual(sim.control.getFlat(uid));
  });

  it('serves STRUCTURED and canonical XML', async () => {
    const c = live();
    const structured = await call(`${compositionUrl(c, c.objectId)}?format=STRUCTURED`);
    expect(structured.headers.get('content-type')).toBe('application/openehr.wt.structured.schema+json');
    const root = Object.keys(structured.json)[0]!;
    expect(structured.json[root]._uid).toEqual([`${c.objectId}::local.ehrbase.org::1`]);
    const xml = await call(compositionUrl(c, c.objectId), { headers: { accept: 'application/xml' } });
    expect(xml.headers.get('content-type')).toBe('application/xml');
    expect(xml.text).toContain(`<value>${c.objectId}::local.ehrbase.org::1</value>`);
  });

  it('serves older versions of updated compositions and the latest by object id', async () => {
    const c = all.find((x) => !x.deleted && x.latestVersion >= 2)!;
    const latest = await call(`${compositionUrl(c, c.objectId)}?format=FLAT`);
    const first = await call(`${compositionUrl(c, `${c.objectId}::local.ehrbase.org::1`)}?format=FLAT`);
    expect(latest.headers.get('etag')).toBe(`"${c.objectId}::local.ehrbase.org::${c.latestVersion}"`);
    expect(first.headers.get('etag')).toBe(`"${c.objectId}::local.ehrbase.org::1"`);
    expect(first.text).not.toBe(latest.text);
    // The system id of a version uid is not checked on GET.
    const other = await call(`${compositionUrl(c, `${c.objectId}::elsewhere::1`)}?format=FLAT`);
    expect(other.status).toBe(200);
  });

  it('answers 204 for a deleted composition and for its deletion version, 200 for the version before', async () => {
    const c = all.find((x) => x.deleted)!;
    const n = c.latestVersion;
    const byObject = await call(compositionUrl(c, c.objectId));
    expect([byObject.status, byObject.text]).toEqual([204, '']);
    expect((await call(compositionUrl(c, `${c.objectId}::local.ehrbase.org::${n + 1}`))).status).toBe(204);
    expect((await call(compositionUrl(c, `${c.objectId}::local.ehrbase.org::${n}`))).status).toBe(200);
    expect((await call(compositionUrl(c, `${c.objectId}::local.ehrbase.org::${n + 2}`))).status).toBe(404);
  });

  it('answers EHRbase statuses for bad formats, versions and ids', async () => {
    const c = live();
    const url = compositionUrl(c, c.objectId);
    const raw = await call(`${url}?format=RAW`);
    expect([raw.status, raw.json]).toEqual([
      400,
      { error: 'Bad Request', message: 'Format RAW not supported' },
    ]);
    expect((await call(`${url}?format=flat`)).status).toBe(406);
    expect((await call(`${url}?format=FLAT`, { headers: { accept: 'application/xml' } })).status).toBe(406);
    expect((await call(url, { headers: { accept: 'application/openehr.wt.flat+json' } })).status).toBe(406);
    const zero = await call(compositionUrl(c, `${c.objectId}::local.ehrbase.org::0`));
    expect([zero.status, zero.json.message]).toEqual([400, "Version can't be zero or negative."]);
    const otherEhr = all.find((x) => x.ehrId !== c.ehrId)!;
    expect((await call(`${sim.baseUrl}/ehr/${otherEhr.ehrId}/composition/${c.objectId}`)).status).toBe(404);
    expect((await call(compositionUrl(c, '11111111-2222-4333-8444-555555555555'))).status).toBe(404);
  });

  it('answers version_at_time with the version current at that instant', async () => {
    const c = all.find((x) => !x.deleted && x.latestVersion >= 2 && !x.original)!;
    const before = await call(`${compositionUrl(c, c.objectId)}?version_at_time=1970-01-01T00:00:00Z`);
    expect(before.status).toBe(404);
    const now = await call(`${compositionUrl(c, c.objectId)}?version_at_time=2100-01-01T00:00:00Z`);
    expect(now.headers.get('etag')).toBe(`"${c.objectId}::local.ehrbase.org::${c.latestVersion}"`);
  });
});

describe('versioned composition', () => {
  it('gives each version with its commit audit, the deletion included, and the revision history', async () => {
    const c = all.find((x) => x.deleted && x.latestVersion >= 2) ?? all.find((x) => x.deleted)!;
    const base = `${sim.baseUrl}/ehr/${c.ehrId}/versioned_composition/${c.objectId}`;
    const vo = await call(base);
    expect(vo.json).toMatchObject({
      _type: 'VERSIONED_COMPOSITION',
      uid: { value: c.objectId },
      owner_id: { value: c.ehrId },
    });
    const first = await call(`${base}/version/${c.objectId}::local.ehrbase.org::1`);
    expect(first.json).toMatchObject({
      _type: 'ORIGINAL_VERSION',
      uid: { value: `${c.objectId}::local.ehrbase.org::1` },
      commit_audit: { time_committed: { _type: 'DV_DATE_TIME' }, change_type: { value: 'creation' } },
      lifecycle_state: { value: 'complete' },
      data: { _type: 'COMPOSITION' },
    });
    const history = await call(`${base}/revision_history`);
    expect(history.json.items).toHaveLength(c.latestVersion + 1);
    const deletion = history.json.items.at(-1);
    expect(deletion.audits[0].change_type.value).toBe('deleted');
    const times = history.json.items.map((x: { audits: Array<{ time_committed: { value: string } }> }) =>
      Date.parse(x.audits[0]!.time_committed.value),
    );
    expect(times).toEqual([...times].sort((a: number, b: number) => a - b));
    const latest = await call(`${base}/version`);
    expect(latest.json.lifecycle_state.value).toBe('deleted');
    expect(latest.json.data).toBeUndefined();
  });
});

describe('templates, status, unknown paths', () => {
  it('lists templates and serves the OPT (default) and the web template (JSON)', async () => {
    const list = await call(`${sim.baseUrl}/definition/template/adl1.4`, {
      headers: { accept: 'application/json' },
    });
    expect(list.json).toEqual([
      {
        template_id: 'vital_signs.v1',
        archetype_id: 'openEHR-EHR-COMPOSITION.encounter.v1',
        concept: 'Vital signs',
        created_timestamp: expect.any(String),
      },
      {
        template_id: 'lab_results.v1',
        archetype_id: 'openEHR-EHR-COMPOSITION.report-result.v1',
        concept: 'Lab results',
        created_timestamp: expect.any(String),
      },
      {
        template_id: 'problem_list.v1',
        archetype_id: 'openEHR-EHR-COMPOSITION.problem_list.v2',
        concept: 'Problem list',
        created_timestamp: expect.any(String),
      },
    ]);
    const opt = await call(`${sim.baseUrl}/definition/template/adl1.4/vital_signs.v1`);
    expect(opt.headers.get('content-type')).toBe('application/xml');
    expect(opt.headers.get('etag')).toBe('"vital_signs.v1"');
    expect(opt.text).toBe(readFileSync(join(DEMO_DATA_DIR, 'templates/vital_signs.opt'), 'utf8'));
    const wt = await call(`${sim.baseUrl}/definition/template/adl1.4/vital_signs.v1`, {
      headers: { accept: 'application/openehr.wt+json' },
    });
    expect(wt.json.templateId).toBe('vital_signs.v1');
    expect(wt.json.tree.id).toBe('vital_signs');
    const asJson = await call(`${sim.baseUrl}/definition/template/adl1.4/vital_signs.v1`, {
      headers: { accept: 'application/json' },
    });
    expect(asJson.text).toBe(wt.text);
    const deprecated = await call(`${sim.baseUrl}/definition/template/adl1.4/vital_signs.v1/webtemplate`);
    expect(deprecated.headers.get('deprecated')).toBe('Mon, 03 Jun 2024 00:00:00 GMT');
    expect((await call(`${sim.baseUrl}/definition/template/adl1.4/nope.v1`)).status).toBe(404);
    expect(
      (
        await call(`${sim.baseUrl}/definition/template/adl1.4/vital_signs.v1`, {
          headers: { accept: 'text/plain' },
        })
      ).status,
    ).toBe(406);
  });

  it('reports status and 404s unknown paths with EHRbase bodies', async () => {
    const status = await call(sim.statusUrl);
    expect(status.json).toMatchObject({
      ehrbase_version: expect.any(String),
      openehr_sdk_version: expect.any(String),
    });
    const none = await call(`${sim.baseUrl}/nothing/here`);
    expect(none.json).toEqual({
      error: 'Not Found',
      message: 'No resource found at path: /ehrbase/rest/openehr/v1/nothing/here',
    });
  });
});
