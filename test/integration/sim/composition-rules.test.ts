import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { call } from './http.js';

let sim: Simulator;

beforeAll(async () => {
  sim = await startSimulator({ seed: 9, ehrs: 3, compositions: 10 });
});
afterAll(() => sim.close());

const T = 'vital_signs/body_temperature:0/any_event:0';
const FLAT = {
  'ctx/language': 'en',
  'ctx/territory': 'GB',
  'ctx/composer_name': 'Dr. Test',
  [`${T}/temperature|magnitude`]: 37.2,
  [`${T}/temperature|unit`]: '°C',
};

const post = (ehr: number, body: unknown, query = '?format=FLAT&templateId=vital_signs.v1') =>
  call(`${sim.baseUrl}/ehr/${sim.control.ehrId(ehr)}/composition${query}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });

describe('composition writes checked as on EHRbase (flat-codec-rules.md §8.2)', () => {
  it('answers 400 Could not consume Parts [...] naming keys the template does not consume', async () => {
    const r = await post(0, { ...FLAT, 'vital_signs/no_such_node': 'x', [`${T}/nope|magnitude`]: 1 });
    expect(r.status).toBe(400);
    expect(r.json.message).toMatch(/^Could not consume Parts \[/);
    expect(r.json.message).toContain('vital_signs/no_such_node');
    expect(r.json.message).toContain(`${T}/nope|magnitude`);
  });

  it('answers 422 for a unit outside the list, a code outside a closed list, no territory', async () => {
    const unit = await post(0, { ...FLAT, [`${T}/temperature|unit`]: 'K' });
    expect(unit.status).toBe(422);
    expect(unit.json.message).toMatch(/items\[at0004\]\/value: unit K is not one of \[°C, °F\]/);
    const lab = await post(
      0,
      {
        'ctx/language': 'en',
        'ctx/territory': 'GB',
        'ctx/composer_name': 'Dr. Test',
        'lab_results/laboratory_test_result:0/any_event:0/test_name': 'FBC',
        'lab_results/laboratory_test_result:0/any_event:0/analyte_result:0/result_status|code': 'at9999',
        'lab_results/laboratory_test_result:0/any_event:0/analyte_result:0/result_status|value': 'Bogus',
      },
      '?format=FLAT&templateId=lab_results.v1',
    );
    expect(lab.status).toBe(422);
    expect(lab.json.message).toMatch(/The value at9999 does not match any option from value set/);
    const noTerritory = { ...FLAT };
    delete (noTerritory as Record<string, unknown>)['ctx/territory'];
    const t = await post(0, noTerritory);
    expect(t.status).toBe(422);
    expect(t.json.message).toContain('territory');
    // Nothing was stored by the refused writes.
    const before = sim.control.totals().compositions;
    expect((await post(0, { ...FLAT, [`${T}/temperature|unit`]: 'K' })).status).toBe(422);
    expect(sim.control.totals().compositions).toBe(before);
  });

  it('takes a valid root _uid on create, refuses a malformed one, version ≠ 1, another system and a uuid in use', async () => {
    const uuid = '0d9c4c1e-58f3-4a9b-9c71-3f7e2f3c1a11';
    const ok = await post(0, { ...FLAT, 'vital_signs/_uid': `${uuid}::local.ehrbase.org::1` });
    expect(ok.status, ok.text).toBe(204);
    expect(ok.headers.get('etag')).toBe(`"${uuid}::local.ehrbase.org::1"`);
    const back = await call(`${sim.baseUrl}/ehr/${sim.control.ehrId(0)}/composition/${uuid}?format=FLAT`);
    expect(back.json['vital_signs/_uid']).toBe(`${uuid}::local.ehrbase.org::1`);

    const cases: Array<[string, RegExp]> = [
      ['not-a-uid', /is not a ObjectVersionId/],
      ['1b4e28ba-2fa1-41d2-883f-0016d3cca427::local.ehrbase.org::2', /invalid Version. Expect Version 1/],
      ['1b4e28ba-2fa1-41d2-883f-0016d3cca427::other.org::1', /Mismatch of creating_system_id/],
      [`${uuid}::local.ehrbase.org::1`, /already exists/],
    ];
    for (const [uid, message] of cases) {
      // The last case posts to another EHR: one versioned object never lives in two EHRs.
      const r = await post(1, { ...FLAT, 'vital_signs/_uid': uid });
      expect(r.status, uid).toBe(412);
      expect(r.json.message).toMatch(message);
    }
    const generated = [...sim.control.allCompositions()].find((c) => !c.original)!;
    const taken = await post(2, {
      ...FLAT,
      'vital_signs/_uid': `${generated.objectId}::local.ehrbase.org::1`,
    });
    expect(taken.status).toBe(412);
  });
});
