import { describe, expect, it } from 'vitest';
import type { ContainmentClass } from '../../../sim/aql/ast.js';
import { AqlSyntaxError } from '../../../sim/aql/lexer.js';
import { parseAql } from '../../../sim/aql/parser.js';

describe('AQL parser', () => {
  it('parses the incremental-export query of openehr-rest.md §5.2 into an AST', () => {
    const q = parseAql(
      `SELECT e/ehr_id/value, c/uid/value AS uid, v/commit_audit/time_committed/value
       FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c
       WHERE c/archetype_details/template_id/value = $template_id
         AND v/commit_audit/time_committed >= $since
       ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC`,
    );
    expect(q.select.map((s) => (s.kind === 'path' ? [s.path.text, s.alias] : s.kind))).toEqual([
      ['e/ehr_id/value', undefined],
      ['c/uid/value', 'uid'],
      ['v/commit_audit/time_committed/value', undefined],
    ]);
    const ehr = q.from as ContainmentClass;
    expect([ehr.type, ehr.alias]).toEqual(['EHR', 'e']);
    const version = ehr.contains as ContainmentClass;
    expect([version.type, version.alias, (version.contains as ContainmentClass).type]).toEqual([
      'VERSION',
      'v',
      'COMPOSITION',
    ]);
    expect(q.where?.kind).toBe('and');
    expect(q.orderBy.map((o) => [o.path.text, o.descending])).toEqual([
      ['v/commit_audit/time_committed', false],
      ['c/uid/value', false],
    ]);
  });

  it('reads predicates: EHR id, archetype ids, at-codes with names, LATEST_VERSION', () => {
    const q = parseAql(
      "SELECT o/data[at0002]/events[at0003, 'Any event']/data[at0001]/items[at0004]/value/magnitude FROM EHR e[ehr_id/value='7d44b88c-4199-4bad-97dc-d78268e01398'] CONTAINS VERSION v[LATEST_VERSION] CONTAINS COMPOSITION c[openEHR-EHR-COMPOSITION.encounter.v1] CONTAINS OBSERVATION o[openEHR-EHR-OBSERVATION.body_temperature.v2]",
    );
    const ehr = q.from as ContainmentClass;
    expect(ehr.predicate?.conditions).toEqual([
      {
        path: 'ehr_id/value',
        op: '=',
        value: { kind: 'string', value: '7d44b88c-4199-4bad-97dc-d78268e01398' },
      },
    ]);
    const v = ehr.contains as ContainmentClass;
    expect(v.predicate?.version).toBe('LATEST_VERSION');
    const c = v.contains as ContainmentClass;
    expect(c.predicate?.nodeId).toBe('openEHR-EHR-COMPOSITION.encounter.v1');
    expect((c.contains as ContainmentClass).predicate?.nodeId).toBe(
      'openEHR-EHR-OBSERVATION.body_temperature.v2',
    );
    const path = q.select[0]!.kind === 'path' ? q.select[0]!.path : undefined;
    expect(path?.nodes[1]).toEqual({
      attribute: 'events',
      predicate: {
        raw: "at0003, 'Any event'",
        nodeId: 'at0003',
        name: { kind: 'string', value: 'Any event' },
        conditions: [],
        hasOr: false,
      },
    });
  });

  it('reads MATCHES lists, LIKE, NOT, OR with parentheses and negative numbers', () => {
    const q = parseAql(
      "SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE (c/archetype_details/template_id/value MATCHES {'a', $b} OR c/name/value LIKE 'Vital*') AND NOT c/x/magnitude > -1.5",
    );
    expect(q.where).toMatchObject({
      kind: 'and',
      left: {
        kind: 'or',
        left: {
          kind: 'matches',
          values: [
            { kind: 'string', value: 'a' },
            { kind: 'param', name: 'b' },
          ],
        },
        right: { kind: 'like', value: { kind: 'string', value: 'Vital*' } },
      },
      right: { kind: 'not', item: { kind: 'cmp', op: '>', right: { kind: 'number', value: -1.5 } } },
    });
  });

  it('accepts COUNT/aggregates, SELECT of a whole composition, LIMIT/OFFSET before or after ORDER BY', () => {
    const a = parseAql(
      'SELECT COUNT(c/uid/value) AS n, COUNT(*), c FROM EHR e CONTAINS COMPOSITION c LIMIT 10 OFFSET 20',
    );
    expect(a.select.map((s) => s.kind)).toEqual(['aggregate', 'aggregate', 'path']);
    expect([a.limit, a.offset]).toEqual([10, 20]);
    const b = parseAql(
      'SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c LIMIT 5 ORDER BY c/uid/value DESC',
    );
    expect([b.limit, b.orderBy[0]?.descending]).toEqual([5, true]);
  });

  it('rejects malformed queries with a line:column message (EHRbase: 400 Could not parse AQL query)', () => {
    expect(() => parseAql('SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE')).toThrow(
      AqlSyntaxError,
    );
    expect(() => parseAql('SELECT FROM EHR e')).toThrow(/line 1:7/);
    expect(() =>
      parseAql("SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/name/value = 'x"),
    ).toThrow(/token recognition error/);
    // ORDER BY an alias fails to parse on EHRbase (issue #1322): the grammar wants a path.
    expect(() => parseAql('SELECT c/uid/value AS u FROM EHR e CONTAINS COMPOSITION c ORDER BY u')).toThrow(
      AqlSyntaxError,
    );
  });
});
