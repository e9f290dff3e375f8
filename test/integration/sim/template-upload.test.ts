import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SHARED_FIXTURES_DIR, type Simulator, startSimulator } from '../../../sim/index.js';
import { buildWebTemplateJson, parseOpt } from '../../../src/template/index.js';
import { call } from './http.js';

const TEMPLATES = join(SHARED_FIXTURES_DIR, 'templates');
const OPTS = readdirSync(TEMPLATES).filter((f) => f.endsWith('.opt'));
const optText = (f: string) => readFileSync(join(TEMPLATES, f), 'utf8');
const templateIdOf = (f: string) => parseOpt(optText(f)).templateId;

let sim: Simulator;
let ehrId: string;
const upload = (body: string | Buffer, type = 'application/xml', extra: Record<string, string> = {}) =>
  call(`${sim.baseUrl}/definition/template/adl1.4`, {
    method: 'POST',
    headers: { 'content-type': type, ...extra },
    body,
  });
const listIds = async () =>
  ((await call(`${sim.baseUrl}/definition/template/adl1.4`)).json as Array<{ template_id: string }>).map(
    (t) => t.template_id,
  );
const tplUrl = (id: string) => `${sim.baseUrl}/definition/template/adl1.4/${encodeURIComponent(id)}`;

beforeAll(async () => {
  sim = await startSimulator({ ehrs: 3, compositions: 10, maxTemplateBytes: 2 * 1024 * 1024 });
  ehrId = sim.control.ehrId(0);
});
afterAll(() => sim.close());

describe('template upload as on EHRbase (flat-codec-rules.md §8.1)', () => {
  it.each(OPTS)('%s: uploads (201), then serves list, OPT, web template and examples', async (file) => {
    const id = templateIdOf(file);
    const res = await upload(optText(file));
    expect(res.status).toBe(201);
    expect(res.headers.get('location')).toBe(tplUrl(id));
    expect(res.headers.get('etag')).toBe(`"${id}"`);
    expect(res.text).toBe('');
    expect(await listIds()).toContain(id);

    const opt = await call(tplUrl(id), { headers: { accept: 'application/xml' } });
    expect(opt.status).toBe(200);
    expect(opt.headers.get('content-type')).toBe('application/xml');
    // fetch's text() drops a byte-order mark; the bytes served are the file's.
    expect(opt.text).toBe(optText(file).replace(/^\uFEFF/, ''));
    const expected = JSON.parse(buildWebTemplateJson(parseOpt(optText(file))));
    for (const accept of ['application/openehr.wt+json', 'application/json']) {
      const wt = await call(tplUrl(id), { headers: { accept } });
      expect(wt.status).toBe(200);
      expect(wt.json).toEqual(expected);
    }

    // The example in each format; the FLAT and canonical ones are valid input for the same template.
    const flat = await call(`${tplUrl(id)}/example?format=FLAT`);
    expect(flat.status).toBe(200);
    expect(flat.json[`${expected.tree.id}/category|code`]).toBeDefined();
    const json = await call(`${tplUrl(id)}/example?format=JSON`);
    expect(json.json.archetype_details.template_id.value).toBe(id);
    expect(json.json.uid).toBeUndefined();
    const xml = await call(`${tplUrl(id)}/example?format=XML`);
    expect(xml.text).toContain('<composition');
    const structured = await call(`${tplUrl(id)}/example?format=STRUCTURED`);
    expect(Object.keys(structured.json)).toEqual([expected.tree.id]);

    const postedFlat = await call(
      `${sim.baseUrl}/ehr/${ehrId}/composition?format=FLAT&templateId=${encodeURIComponent(id)}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: flat.text },
    );
    expect(postedFlat.status, postedFlat.text).toBe(204);
    // STRUCTURED in: the same composition as the FLAT example (the same keys come back).
    const postedStructured = await call(
      `${sim.baseUrl}/ehr/${ehrId}/composition?format=STRUCTURED&templateId=${encodeURIComponent(id)}`,
      { method: 'POST', headers: { 'content-type': 'application/json' }, body: structured.text },
    );
    expect(postedStructured.status, postedStructured.text).toBe(204);
    const fromFlat = await call(`${postedFlat.headers.get('location')}?format=FLAT`);
    const fromStructured = await call(`${postedStructured.headers.get('location')}?format=FLAT`);
    expect(Object.keys(fromStructured.json).sort()).toEqual(Object.keys(fromFlat.json).sort());
    const postedCanonical = await call(`${sim.baseUrl}/ehr/${ehrId}/composition`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', prefer: 'return=representation' },
      body: json.text,
    });
    expect(postedCanonical.status, postedCanonical.text).toBe(201);
    expect(postedCanonical.json.archetype_details.template_id.value).toBe(id);

    // Canonical XML in: the XML example posts, and reads back as the canonical example.
    const postedXml = await call(`${sim.baseUrl}/ehr/${ehrId}/composition`, {
      method: 'POST',
      headers: { 'content-type': 'application/xml', prefer: 'return=representation' },
      body: xml.text,
    });
    expect(postedXml.status, postedXml.text).toBe(201);
    expect(postedXml.headers.get('content-type')).toBe('application/xml');
    const xmlBack = await call(`${postedXml.headers.get('location')}`);
    const { uid: _uid, ...xmlBody } = xmlBack.json;
    expect(xmlBody).toEqual(json.json);

    // The control API commits generated compositions of an uploaded template too.
    const committed = sim.control.commit(id, ehrId);
    const served = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${committed.objectId}?format=FLAT`);
    expect(served.status).toBe(200);
    expect(served.json[`${expected.tree.id}/_uid`]).toBe(committed.uid);
  });

  it('answers 409 for a known id and leaves the stored template as it was', async () => {
    const file = OPTS[0]!;
    const id = templateIdOf(file);
    const before = await call(tplUrl(id), { headers: { accept: 'application/xml' } });
    const res = await upload(optText(file).replace('<concept>', '<concept>changed '));
    expect(res.status).toBe(409);
    expect(res.json).toEqual({
      error: 'Conflict',
      message: `Operational template with this template ID already exists: ${id}`,
    });
    const after = await call(tplUrl(id), { headers: { accept: 'application/xml' } });
    expect(after.text).toBe(before.text);
  });

  it('answers 400 with EHRbase reasons for unusable OPTs, storing nothing', async () => {
    const before = await listIds();
    const base = optText('minimal_evaluation.opt');
    const renamed = (xml: string, id: string) => xml.replace(/(<template_id>\s*<value>)[^<]*/, `$1${id}`);
    const cases: Array<[string, RegExp]> = [
      ['not xml at all', /^Invalid template input content: /],
      [
        renamed(base, 'no-concept').replace(/<concept>[^<]*<\/concept>/, ''),
        /^Supplied template has nil or empty concept$/,
      ],
      [
        renamed(base, 'item-table').replace(
          /<rm_type_name>ITEM_TREE<\/rm_type_name>/,
          '<rm_type_name>ITEM_TABLE</rm_type_name>',
        ),
        /^The supplied template is not supported \(unsupported types: ITEM_TABLE\)$/,
      ],
      [
        renamed(base, 'broken').replace(/<\/definition>/, '</defnition>'),
        /^Invalid template input content: .*not well-formed/,
      ],
    ];
    for (const [body, message] of cases) {
      const res = await upload(body);
      expect(res.status, body.slice(0, 40)).toBe(400);
      expect(res.json.message).toMatch(message);
    }
    expect(await listIds()).toEqual(before);
  });

  it('answers 413 for a body over the limit and 415 for a body that is not XML', async () => {
    const before = await listIds();
    const big = `${optText('minimal_evaluation.opt')}<!--${'x'.repeat(3 * 1024 * 1024)}-->`;
    const res = await upload(big);
    expect(res.status).toBe(413);
    expect((await upload('{}', 'application/json')).status).toBe(415);
    expect(await listIds()).toEqual(before);
  });

  it('replaces a template with allowTemplateOverwrite, as ehrbase.template.allow-overwrite', async () => {
    const other = await startSimulator({ ehrs: 1, compositions: 1, allowTemplateOverwrite: true });
    try {
      const url = `${other.baseUrl}/definition/template/adl1.4`;
      const post = (body: string) =>
        call(url, { method: 'POST', headers: { 'content-type': 'application/xml' }, body });
      const xml = optText('minimal_evaluation.opt');
      const id = templateIdOf('minimal_evaluation.opt');
      expect((await post(xml)).status).toBe(201);
      const changed = xml.replace(/<concept>[^<]*<\/concept>/, '<concept>replaced concept</concept>');
      expect((await post(changed)).status).toBe(201);
      const list = (await call(url)).json as Array<{ template_id: string; concept: string }>;
      expect(list.filter((t) => t.template_id === id).map((t) => t.concept)).toEqual(['replaced concept']);
    } finally {
      await other.close();
    }
  });
});
