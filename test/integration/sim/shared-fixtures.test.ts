import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  SHARED_FIXTURES_DIR,
  SHARED_FIXTURES_MANIFEST,
  type Simulator,
  startSimulator,
} from '../../../sim/index.js';
import { aql, call } from './http.js';

// The real EHRbase fixtures live beside the repository (../shared/openehr-fixtures), also in CI.
const fixture = (path: string) => readFileSync(join(SHARED_FIXTURES_DIR, path));

const PAIRS = [
  {
    templateId: 'Corona_Anamnese',
    flat: 'compositions/flat/corona.json',
    canonical: 'compositions/canonical/compo_corona.json',
  },
  {
    templateId: 'AlternativeEvents',
    flat: 'compositions/flat/AlternativeEvents.json',
    canonical: 'compositions/canonical/alternative_events.json',
  },
  {
    templateId: 'ehrbase_multi_occurrence.de.v1',
    flat: 'compositions/flat/multi_occurrence.json',
    canonical: 'compositions/canonical/multi_occurrence.json',
  },
  {
    templateId: 'test_all_types.en.v1',
    flat: 'compositions/flat/test_all_types.json',
    canonical: 'compositions/canonical/all_types_no_multimedia.json',
  },
  {
    templateId: 'nested.en.v1',
    flat: 'compositions/flat/nested.en.v1.json',
    canonical: 'compositions/canonical/nested.en.v1.json',
  },
];

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ dataDir: SHARED_FIXTURES_MANIFEST, ehrs: 10, compositions: 100 });
});
afterAll(() => sim.close());

describe('real fixtures from ../shared/openehr-fixtures', () => {
  it('serves each fixture composition byte-for-byte in FLAT and canonical form', async () => {
    const all = [...sim.control.allCompositions()].filter((c) => c.original);
    expect(all.map((c) => c.templateId)).toEqual(PAIRS.map((p) => p.templateId));
    for (const [k, pair] of PAIRS.entries()) {
      const c = all[k]!;
      const flatFile = fixture(pair.flat);
      const canonicalFile = fixture(pair.canonical);
      const uid = JSON.parse(canonicalFile.toString()).uid.value as string;
      expect(uid.startsWith(c.objectId)).toBe(true);
      const base = `${sim.baseUrl}/ehr/${c.ehrId}/composition`;
      const flat = await fetch(`${base}/${c.objectId}?format=FLAT`);
      expect(Buffer.from(await flat.arrayBuffer()).equals(flatFile)).toBe(true);
      const canonical = await fetch(`${base}/${uid}`);
      expect(Buffer.from(await canonical.arrayBuffer()).equals(canonicalFile)).toBe(true);
      expect(canonical.headers.get('etag')).toBe(`"${uid}"`);
    }
  });

  it('serves the OPTs and web templates byte-for-byte', async () => {
    const opt = await fetch(`${sim.baseUrl}/definition/template/adl1.4/Corona_Anamnese`);
    expect(Buffer.from(await opt.arrayBuffer()).equals(fixture('templates/corona_anamnese.opt'))).toBe(true);
    const wt = await fetch(`${sim.baseUrl}/definition/template/adl1.4/AlternativeEvents`, {
      headers: { accept: 'application/openehr.wt+json' },
    });
    expect(Buffer.from(await wt.arrayBuffer()).equals(fixture('web-templates/AlternativeEvents.json'))).toBe(
      true,
    );
    const list = await call(`${sim.baseUrl}/definition/template/adl1.4`);
    expect(list.json.map((t: { template_id: string }) => t.template_id)).toContain(
      'ehrbase_blood_pressure_simple.de.v0',
    );
    expect(
      list.json.find((t: { template_id: string }) => t.template_id === 'Corona_Anamnese').archetype_id,
    ).toBe('openEHR-EHR-COMPOSITION.report.v1');
  });

  it('generates variants of the fixtures that AQL finds by template, with consistent FLAT', async () => {
    const r = await aql(sim.baseUrl, {
      q: "SELECT e/ehr_id/value, c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value = 'Corona_Anamnese' ORDER BY c/uid/value",
    });
    const variant = (r.json.rows as string[][]).find(([, uid]) => uid!.includes('::local.ehrbase.org::'))!;
    const flat = await call(`${sim.baseUrl}/ehr/${variant[0]}/composition/${variant[1]}?format=FLAT`);
    expect(flat.json['bericht/_uid']).toBe(variant[1]);
    expect(Object.keys(flat.json).sort()).toEqual(
      Object.keys(JSON.parse(fixture('compositions/flat/corona.json').toString())).sort(),
    );
  });

  it('accepts the FLAT input example with ctx/ keys (corona_with_context.json) as a new composition', async () => {
    const ehr = sim.control.ehrId(0);
    const r = await call(`${sim.baseUrl}/ehr/${ehr}/composition?format=FLAT&templateId=Corona_Anamnese`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'return=representation' },
      body: fixture('compositions/flat/corona_with_context.json'),
    });
    expect(r.status).toBe(201);
    expect(Object.keys(r.json).some((k) => k.startsWith('ctx/'))).toBe(false);
    const canonical = await call(r.headers.get('location')!);
    expect(canonical.json.archetype_details.template_id.value).toBe('Corona_Anamnese');
  });
});
