import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Flavour, type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

/**
 * `SELECT c` (issue 22, item 5): each row carries the whole composition as canonical JSON, exactly the body
 * a canonical GET of the same version returns (EHRbase copies the stored document); Better gives relative
 * column paths and omits `rows` when empty.
 */
const sims = new Map<Flavour, Simulator>();
beforeAll(async () => {
  for (const flavour of ['ehrbase', 'better'] as const)
    sims.set(
      flavour,
      await startSimulator({ seed: 5, ehrs: 8, compositions: 60, flavour, clockTicking: false }),
    );
});
afterAll(async () => {
  for (const s of sims.values()) await s.close();
});

const Q =
  'SELECT e/ehr_id/value AS ehr_id, c/uid/value AS uid, v/commit_audit/time_committed/value AS changed_at, ' +
  'c AS composition FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c ' +
  'WHERE c/archetype_details/template_id/value = $template_id ' +
  'ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC';

describe.each(['ehrbase', 'better'] as const)('SELECT c on %s', (flavour) => {
  it('returns the canonical JSON of each version, identical to its canonical GET', async () => {
    const sim = sims.get(flavour)!;
    const templateId = 'vital_signs.v1';
    const r = await aql(sim.baseUrl, {
      q: Q,
      query_parameters: { template_id: templateId },
      offset: 0,
      fetch: 50,
    });
    expect(r.status).toBe(200);
    const live = [...sim.control.liveCompositions(templateId)];
    expect(r.json.rows.length).toBe(Math.min(50, live.length));
    expect(r.json.columns.at(-1)).toEqual(
      flavour === 'better' ? { path: '/', name: 'composition' } : { path: 'c', name: 'composition' },
    );
    for (const row of r.json.rows as unknown[][]) {
      const [ehrId, uid, , composition] = row as [string, string, string, Record<string, unknown>];
      const get = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${uid}?format=JSON`, {
        headers: { accept: 'application/json' },
      });
      expect(get.status).toBe(200);
      expect(composition).toEqual(get.json);
      expect((composition.uid as { value: string }).value).toBe(uid);
      // Byte for byte: the page copies the stored document's text.
      expect(r.text).toContain(get.text.trim());
    }
  });

  it('an empty page: rows [] on EHRbase, absent on Better', async () => {
    const sim = sims.get(flavour)!;
    const r = await aql(sim.baseUrl, {
      q: Q,
      query_parameters: { template_id: 'nope' },
      offset: 0,
      fetch: 50,
    });
    expect(r.status).toBe(200);
    if (flavour === 'better') expect(r.json.rows).toBeUndefined();
    else expect(r.json.rows).toEqual([]);
  });
});
