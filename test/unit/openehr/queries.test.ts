import { describe, expect, it } from 'vitest';
import { countLiveQuery, discoveryQuery, liveQuery } from '../../../src/openehr/aql/queries.js';

/** openehr-rest.md §6: each ORDER BY path must be a prefix of a selected path. */
function orderByIsSelected(q: string): boolean {
  const select = /^SELECT (.*?) FROM /.exec(q)?.[1] ?? '';
  const selected = select.split(',').map((s) => s.trim().split(/\s+AS\s+/i)[0] ?? '');
  const orderBy = /ORDER BY (.*)$/.exec(q)?.[1] ?? '';
  return orderBy
    .split(',')
    .map((s) => s.trim().replace(/\s+(ASC|DESC)$/i, ''))
    .every((path) => selected.some((sel) => sel === path || sel.startsWith(`${path}/`)));
}

describe('AQL texts', () => {
  it('commit-time discovery: VERSION, DV_DATE_TIME comparisons, every value a parameter', () => {
    const { q, params } = discoveryQuery('commit_time', {
      templateId: "Dr. O'Neil's vitals.v1",
      since: '2024-01-01T00:00:00Z',
      until: '2025-01-01T00:00:00Z',
      ehrIds: ['e1', 'e2'],
    });
    expect(q).toBe(
      'SELECT e/ehr_id/value AS ehr_id, c/uid/value AS uid, v/commit_audit/time_committed/value AS changed_at ' +
        'FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c ' +
        'WHERE c/archetype_details/template_id/value = $template_id ' +
        'AND v/commit_audit/time_committed >= $since AND v/commit_audit/time_committed < $until ' +
        'AND e/ehr_id/value MATCHES {$ehr_ids} ' +
        'ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC',
    );
    expect(q).not.toContain("O'Neil");
    expect(params).toEqual({
      template_id: "Dr. O'Neil's vitals.v1",
      since: '2024-01-01T00:00:00Z',
      until: '2025-01-01T00:00:00Z',
      ehr_ids: ['e1', 'e2'],
    });
    expect(orderByIsSelected(q)).toBe(true);
  });

  it('clinical-time fallback has no VERSION and orders by start time', () => {
    const { q, params } = discoveryQuery('clinical_time', { templateId: 't' });
    expect(q).not.toContain('VERSION');
    expect(q).toContain('c/context/start_time/value AS changed_at');
    expect(q).toContain('ORDER BY c/context/start_time ASC, c/uid/value ASC');
    expect(q).not.toContain('$since');
    expect(params).toEqual({ template_id: 't' });
    expect(orderByIsSelected(q)).toBe(true);
  });

  it('live listing and count take the template as a parameter, no LIMIT in the text', () => {
    for (const { q, params } of [liveQuery('a b'), countLiveQuery('a b')]) {
      expect(q).not.toContain('a b');
      expect(q).not.toMatch(/LIMIT|OFFSET/);
      expect(params).toEqual({ template_id: 'a b' });
    }
    expect(orderByIsSelected(liveQuery('x').q)).toBe(true);
  });
});
