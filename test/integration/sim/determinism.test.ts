import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

const Q =
  'SELECT e/ehr_id/value, c/uid/value, c/archetype_details/template_id/value, v/commit_audit/time_committed/value, c/context/start_time/value ' +
  'FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC';

let a: Simulator;
let b: Simulator;
let other: Simulator;

beforeAll(async () => {
  const opts = { seed: 1234, ehrs: 40, compositions: 500 };
  [a, b, other] = await Promise.all([
    startSimulator(opts),
    startSimulator(opts),
    startSimulator({ ...opts, seed: 1235 }),
  ]);
});
afterAll(async () => {
  await Promise.all([a.close(), b.close(), other.close()]);
});

async function pages(s: Simulator): Promise<unknown[]> {
  const out: unknown[] = [];
  for (let offset = 0; offset < 500; offset += 100) {
    const r = await aql(s.baseUrl, { q: Q, fetch: 100, offset });
    const { _created, ...meta } = r.json.meta;
    out.push({ ...r.json, meta });
  }
  return out;
}

describe('deterministic generation', () => {
  it('two instances with the same seed answer identical AQL pages', async () => {
    const [pa, pb] = await Promise.all([pages(a), pages(b)]);
    expect(pb).toEqual(pa);
    expect(await pages(other)).not.toEqual(pa);
  });

  it('two instances with the same seed serve byte-identical FLAT and canonical bodies', async () => {
    const rows = (await aql(a.baseUrl, { q: Q, fetch: 60 })).json.rows as string[][];
    for (const [ehrId, uid] of rows) {
      for (const query of ['?format=FLAT', '']) {
        const path = `/ehr/${ehrId}/composition/${uid}${query}`;
        const [x, y] = await Promise.all([call(`${a.baseUrl}${path}`), call(`${b.baseUrl}${path}`)]);
        expect(x.status).toBe(200);
        expect(y.text).toBe(x.text);
      }
    }
  });
});
