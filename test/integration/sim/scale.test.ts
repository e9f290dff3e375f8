import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

let sim: Simulator;
let rssBefore: number;

beforeAll(async () => {
  globalThis.gc?.();
  rssBefore = process.memoryUsage().rss;
  sim = await startSimulator({ seed: 42, ehrs: 10_000, compositions: 1_000_000 });
}, 120_000);
afterAll(() => sim.close());

describe('a million compositions', () => {
  it('are all counted by AQL, derived on demand with bounded memory', async () => {
    const totals = sim.control.totals();
    expect(totals.compositions).toBe(1_000_000 + 5); // plus the five demo prototypes served as themselves
    const count = await aql(sim.baseUrl, {
      q: 'SELECT COUNT(c/uid/value) FROM EHR e CONTAINS COMPOSITION c',
    });
    expect(count.json.rows).toEqual([[totals.live]]);
    const perTemplate = await aql(sim.baseUrl, {
      q: 'SELECT c/archetype_details/template_id/value, COUNT(*) FROM EHR e CONTAINS COMPOSITION c ORDER BY c/archetype_details/template_id/value',
    });
    expect(Object.fromEntries(perTemplate.json.rows)).toEqual(totals.liveByTemplate);

    // Deep keyset page and a FLAT GET from the end of the commit order.
    const page = await aql(sim.baseUrl, {
      q: 'SELECT e/ehr_id/value, c/uid/value, v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c WHERE v/commit_audit/time_committed >= $since ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC',
      fetch: 1000,
      query_parameters: { since: '2024-12-31T00:00:00Z' },
    });
    expect(page.json.rows).toHaveLength(1000);
    const [ehrId, uid] = page.json.rows[999];
    const flat = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${uid}?format=FLAT`);
    expect(flat.status).toBe(200);

    // A million stored documents would take gigabytes; the index costs tens of megabytes.
    const grownMb = (process.memoryUsage().rss - rssBefore) / 1e6;
    expect(grownMb).toBeLessThan(400);
  });
});
