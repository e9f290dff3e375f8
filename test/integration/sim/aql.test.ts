import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Simulator, startSimulator } from '../../../sim/index.js';
import { aql, call } from './http.js';

let sim: Simulator;

beforeAll(async () => {
  // Many ties (shared contributions) so paging by commit time has to cope with them.
  sim = await startSimulator({ seed: 11, ehrs: 30, compositions: 600, tieRatio: 0.3, clockTicking: false });
});
afterAll(() => sim.close());

const SINCE_Q =
  'SELECT e/ehr_id/value, c/uid/value, c/archetype_details/template_id/value, v/commit_audit/time_committed/value ' +
  'FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c ' +
  'WHERE c/archetype_details/template_id/value = $template_id AND v/commit_audit/time_committed >= $since ' +
  'ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC';

describe('AQL result set (openehr-rest.md §4.2)', () => {
  it('has meta, q verbatim, columns named #i or by alias with alias/path paths, rows in column order', async () => {
    const q =
      'SELECT e/ehr_id/value, c/uid/value AS uid, COUNT(c/uid/value) AS n FROM EHR e CONTAINS COMPOSITION c';
    const grouped = await aql(sim.baseUrl, { q });
    expect(grouped.status).toBe(200);
    expect(Object.keys(grouped.json)).toEqual(['meta', 'q', 'columns', 'rows']);
    expect(grouped.json.q).toBe(q);
    expect(grouped.json.columns).toEqual([
      { path: 'e/ehr_id/value', name: '#0' },
      { path: 'c/uid/value', name: 'uid' },
      { name: 'n' },
    ]);
    expect(Object.keys(grouped.json.meta)).toEqual([
      '_type',
      '_schema_version',
      '_created',
      '_executed_aql',
      'resultsize',
    ]);
    expect(grouped.json.meta).toMatchObject({
      _type: 'RESULTSET',
      _executed_aql: q,
      resultsize: grouped.json.rows.length,
    });
    expect(grouped.json.rows[0]).toEqual([
      expect.stringMatching(/^[0-9a-f-]{36}$/),
      expect.stringMatching(/::\d+$/),
      1,
    ]);
  });

  it('reports fetch/offset only when limited, substitutes parameters in _executed_aql, _href only on GET', async () => {
    const r = await aql(sim.baseUrl, {
      q: SINCE_Q,
      offset: 0,
      fetch: 5,
      query_parameters: { template_id: 'vital_signs.v1', since: '2024-01-01T00:00:00Z' },
    });
    expect(r.json.meta).toMatchObject({ resultsize: 5, fetch: 5, offset: 0 });
    expect(r.json.meta._href).toBeUndefined();
    expect(r.json.meta._executed_aql).toContain("template_id/value = 'vital_signs.v1'");
    expect(r.json.meta._executed_aql).toMatch(/ LIMIT 5 OFFSET 0$/);
    expect(r.json.q).toBe(SINCE_Q);
    expect(r.json.rows[0][3]).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d{1,6})?Z$/);
    const get = await call(
      `${sim.baseUrl}/query/aql?q=${encodeURIComponent('SELECT e/ehr_id/value FROM EHR e')}&fetch=2`,
    );
    expect(get.json.meta._href).toBe(`${sim.baseUrl}/query/aql`);
    expect(get.json.rows).toHaveLength(2);
  });

  it('returns [] rows when nothing matches', async () => {
    const r = await aql(sim.baseUrl, {
      q: "SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value = 'nope'",
    });
    expect(r.json.rows).toEqual([]);
    expect(r.json.meta.resultsize).toBe(0);
  });
});

describe('AQL evaluation', () => {
  it('keyset paging by commit time (>= and dedupe by uid) yields every live composition once, in order', async () => {
    const expected = [...sim.control.liveCompositions('vital_signs.v1')];
    const seen = new Map<string, string>();
    let since = '1970-01-01T00:00:00Z';
    for (let page = 0; page < 500; page++) {
      const r = await aql(sim.baseUrl, {
        q: SINCE_Q,
        fetch: 7,
        query_parameters: { template_id: 'vital_signs.v1', since },
      });
      const rows = r.json.rows as string[][];
      for (const [, uid, , time] of rows) seen.set(uid!, time!);
      if (rows.length < 7) break;
      const last = rows[rows.length - 1]![3]!;
      // All rows share one commit time: widen the page instead of looping forever (an exporter's job).
      if (rows[0]![3] === last) throw new Error('page of one commit time; raise fetch');
      since = last;
    }
    expect([...seen.keys()]).toEqual(expected.map((c) => c.uid));
    expect([...seen.values()]).toEqual(expected.map((c) => c.timeCommitted));
  });

  it('offset paging ordered by uid covers the template exactly once', async () => {
    const q =
      'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value = $t ORDER BY c/uid/value ASC';
    const uids: string[] = [];
    for (let offset = 0; ; offset += 50) {
      const r = await aql(sim.baseUrl, { q, fetch: 50, offset, query_parameters: { t: 'lab_results.v1' } });
      uids.push(...(r.json.rows as string[][]).map((row) => row[0]!));
      if (r.json.rows.length < 50) break;
    }
    expect(uids).toEqual([...uids].sort());
    expect(new Set(uids).size).toBe(sim.control.totals().liveByTemplate['lab_results.v1']);
  });

  it('counts per template, with MATCHES over a list parameter', async () => {
    const totals = sim.control.totals().liveByTemplate;
    const r = await aql(sim.baseUrl, {
      q: 'SELECT c/archetype_details/template_id/value, COUNT(c/uid/value) FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value MATCHES {$tids} ORDER BY c/archetype_details/template_id/value',
      query_parameters: { tids: ['vital_signs.v1', 'problem_list.v1'] },
    });
    expect(r.json.rows).toEqual([
      ['problem_list.v1', totals['problem_list.v1']],
      ['vital_signs.v1', totals['vital_signs.v1']],
    ]);
  });

  it('filters by EHR (predicate or condition) and compares start_time as an instant across offsets', async () => {
    const ehr = sim.control.ehrId(2);
    const viaPredicate = await aql(sim.baseUrl, {
      q: `SELECT c/uid/value, c/context/start_time/value FROM EHR e[ehr_id/value='${ehr}'] CONTAINS COMPOSITION c ORDER BY c/uid/value`,
    });
    const viaWhere = await aql(sim.baseUrl, {
      q: 'SELECT c/uid/value, c/context/start_time/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr ORDER BY c/uid/value',
      query_parameters: { ehr },
    });
    expect(viaPredicate.json.rows.length).toBeGreaterThan(0);
    expect(viaWhere.json.rows).toEqual(viaPredicate.json.rows);
    const [uid, start] = viaWhere.json.rows[0] as [string, string];
    // The same instant written in another offset.
    const shifted = new Date(Date.parse(start)).toISOString().replace('Z', '+00:00');
    const q = (op: string) =>
      aql(sim.baseUrl, {
        q: `SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE e/ehr_id/value = $ehr AND c/context/start_time ${op} $t`,
        query_parameters: { ehr, t: shifted },
      });
    expect((await q('>=')).json.rows.flat()).toContain(uid);
    expect((await q('>')).json.rows.flat()).not.toContain(uid);
  });

  it('selects whole compositions equal to the canonical GET, and lists EHRs', async () => {
    const r = await aql(sim.baseUrl, {
      q: 'SELECT e/ehr_id/value, c FROM EHR e CONTAINS COMPOSITION c',
      fetch: 2,
    });
    const [ehrId, composition] = r.json.rows[0];
    const get = await call(`${sim.baseUrl}/ehr/${ehrId}/composition/${composition.uid.value}`);
    expect(composition).toEqual(get.json);
    const ehrs = await aql(sim.baseUrl, { q: 'SELECT e/ehr_id/value FROM EHR e ORDER BY e/ehr_id/value' });
    expect(ehrs.json.rows).toHaveLength(30);
  });

  it('supports FROM COMPOSITION, DISTINCT, EHR_STATUS and one row per contained entry', async () => {
    const totals = sim.control.totals().liveByTemplate;
    const grouped = await aql(sim.baseUrl, {
      q: 'SELECT c/archetype_details/template_id/value, COUNT(*) FROM COMPOSITION c ORDER BY c/archetype_details/template_id/value DESC',
    });
    expect(grouped.json.rows).toEqual(Object.entries(totals).sort(([a], [b]) => (a < b ? 1 : -1)));
    const distinct = await aql(sim.baseUrl, {
      q: 'SELECT DISTINCT c/archetype_details/template_id/value FROM EHR e CONTAINS COMPOSITION c',
    });
    expect(distinct.json.rows.flat().sort()).toEqual(Object.keys(totals).sort());
    const status = await aql(sim.baseUrl, {
      q: 'SELECT e/ehr_id/value, s/subject/external_ref/id/value FROM EHR e CONTAINS EHR_STATUS s',
      fetch: 1,
      offset: 4,
    });
    expect(status.json.rows).toEqual([[sim.control.ehrId(4), 'sim-0000005']]);
    const events = await aql(sim.baseUrl, {
      q: "SELECT c/uid/value, ev/time/value FROM EHR e CONTAINS COMPOSITION c CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.body_temperature.v2] CONTAINS EVENT ev WHERE c/uid/value = '8a1d4e7b-2c5f-4a90-b3d6-0e9f1c2a4b02::local.ehrbase.org::1'",
    });
    // The second vital-signs prototype has two temperature events.
    expect(events.json.rows).toEqual([
      ['8a1d4e7b-2c5f-4a90-b3d6-0e9f1c2a4b02::local.ehrbase.org::1', '2024-05-21T21:41:00.000+02:00'],
      ['8a1d4e7b-2c5f-4a90-b3d6-0e9f1c2a4b02::local.ehrbase.org::1', '2024-05-21T23:40:00.000+02:00'],
    ]);
  });

  it('sees only the latest, non-deleted version', async () => {
    const { objectId, uid } = sim.control.commit('problem_list.v1');
    const byId = (id: string) =>
      aql(sim.baseUrl, {
        q: 'SELECT c/uid/value, v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c WHERE c/uid/value = $u',
        query_parameters: { u: id },
      });
    expect((await byId(uid)).json.rows).toHaveLength(1);
    sim.control.advanceClock(60_000);
    const v2 = sim.control.update(objectId, {
      'problem_list/problem_diagnosis:0/clinical_description': 'revised',
    });
    expect((await byId(uid)).json.rows).toHaveLength(0);
    const now = await byId(v2);
    expect(now.json.rows).toEqual([[v2, sim.control.now()]]);
    sim.control.delete(objectId);
    expect((await byId(v2)).json.rows).toHaveLength(0);
  });
});

describe('AQL errors', () => {
  const error = async (body: Record<string, unknown>) => {
    const r = await aql(sim.baseUrl, body);
    return [r.status, r.json.error, r.json.message];
  };

  it('422 for paging conflicts and max-fetch', async () => {
    const q = 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c';
    expect(await error({ q, offset: 10 })).toEqual([
      422,
      'Unprocessable Entity',
      'Query parameter for offset provided, but no fetch parameter',
    ]);
    expect(await error({ q: `${q} LIMIT 10`, fetch: 10 })).toEqual([
      422,
      'Unprocessable Entity',
      'Query contains a LIMIT clause, fetch and offset parameters must not be used (with fetch precedence REJECT)',
    ]);
    sim.control.setFaults({ maxFetch: 100 });
    try {
      expect(await error({ q, fetch: 101 })).toEqual([
        422,
        'Unprocessable Entity',
        'Fetch parameter 101 exceeds maximum fetch 100',
      ]);
      expect((await aql(sim.baseUrl, { q, fetch: 100 })).status).toBe(200);
    } finally {
      sim.control.setFaults({ maxFetch: null });
    }
  });

  it('400 with EHRbase messages for unsupported AQL, parse errors, bad bodies and missing parameters', async () => {
    expect(
      await error({
        q: "SELECT v/commit_audit/time_committed/value FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c WHERE v/commit_audit/time_committed/value >= '2024-01-01'",
      }),
    ).toEqual([
      400,
      'Bad Request',
      'Not implemented: WHERE: VERSION path v/commit_audit/time_committed/value is not supported',
    ]);
    expect(
      await error({ q: 'SELECT c/uid/value FROM EHR e CONTAINS VERSIONED_OBJECT vo CONTAINS COMPOSITION c' }),
    ).toEqual([400, 'Bad Request', expect.stringMatching(/^Type VERSIONED_OBJECT is not supported in FROM/)]);
    expect(await error({ q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE' })).toEqual([
      400,
      'Bad Request',
      expect.stringMatching(/^Could not parse AQL query: line 1:\d+ /),
    ]);
    expect(await error({ q: '' })).toEqual([400, 'Bad Request', 'No query provided.']);
    expect(
      await error({ q: 'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/uid/value = $u' }),
    ).toEqual([400, 'Bad Request', expect.stringContaining('$u')]);
    const body = '{"q":"SELECT e/ehr_id/value FROM EHR e"}';
    // A byte body carries no Content-Type (missing header → 400); a string body is sent as text/plain (→ 415).
    const noType = await call(`${sim.baseUrl}/query/aql`, {
      method: 'POST',
      body: new TextEncoder().encode(body),
    });
    expect(noType.status).toBe(400);
    const textPlain = await call(`${sim.baseUrl}/query/aql`, { method: 'POST', body });
    expect(textPlain.status).toBe(415);
  });
});
