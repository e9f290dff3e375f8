import { describe, expect, it } from 'vitest';
import { checkQuery } from '../../../sim/aql/checks.js';
import type { AqlError } from '../../../sim/aql/errors.js';
import { parseAql } from '../../../sim/aql/parser.js';
import { analyseFrom } from '../../../sim/aql/shape.js';

function check(q: string, better = false): void {
  const query = parseAql(q);
  checkQuery(analyseFrom(query.from, better), query);
}

function rejection(q: string, better = false): { status: number; message: string } {
  try {
    check(q, better);
  } catch (e) {
    return { status: (e as AqlError).status, message: (e as Error).message };
  }
  throw new Error(`accepted: ${q}`);
}

const FROM = 'FROM EHR e CONTAINS VERSION v CONTAINS COMPOSITION c';

describe('EHRbase feature checks (openehr-rest.md §5.2, §6)', () => {
  it('accepts the exporter queries', () => {
    check(
      `SELECT e/ehr_id/value, c/uid/value, v/commit_audit/time_committed/value ${FROM} WHERE v/commit_audit/time_committed >= '2024-01-01T00:00:00Z' ORDER BY v/commit_audit/time_committed ASC, c/uid/value ASC`,
    );
    check(
      'SELECT c/context/start_time/value FROM EHR e CONTAINS COMPOSITION c ORDER BY c/context/start_time',
    );
    check('SELECT e/ehr_id/value FROM EHR e ORDER BY e/ehr_id/value');
  });

  it('rejects WHERE and ORDER BY on v/commit_audit/time_committed/value (issue #1540)', () => {
    expect(
      rejection(
        `SELECT v/commit_audit/time_committed/value ${FROM} WHERE v/commit_audit/time_committed/value > '2024'`,
      ),
    ).toEqual({
      status: 400,
      message: 'Not implemented: WHERE: VERSION path v/commit_audit/time_committed/value is not supported',
    });
    expect(
      rejection(
        `SELECT v/commit_audit/time_committed/value ${FROM} ORDER BY v/commit_audit/time_committed/value`,
      ),
    ).toEqual({
      status: 400,
      message: 'Not implemented: ORDER_BY: VERSION path v/commit_audit/time_committed/value is not supported',
    });
  });

  it('rejects ORDER BY on a path that is not selected', () => {
    expect(rejection(`SELECT c/uid/value ${FROM} ORDER BY v/commit_audit/time_committed`).message).toBe(
      'Not implemented: ORDER BY: Path: v/commit_audit/time_committed is not present in SELECT statement',
    );
  });

  it('rejects LIKE and ordering operators on the template id, LIKE on the composition uid', () => {
    const t =
      "Not implemented: Conditions on 'archetype_details/template_id/value' only support =,!= and MATCHES";
    expect(
      rejection(
        "SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value LIKE 'v*'",
      ).message,
    ).toBe(t);
    expect(
      rejection(
        "SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/archetype_details/template_id/value > 'a'",
      ).message,
    ).toBe(t);
    expect(
      rejection("SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/uid/value LIKE 'a*'").message,
    ).toBe('Not implemented: LIKE on /uid/value is not supported for COMPOSITION');
  });

  it('rejects VERSIONED_OBJECT on EHRbase and accepts it in the better flavour', () => {
    expect(
      rejection('SELECT vo/uid/value FROM EHR e CONTAINS VERSIONED_OBJECT vo CONTAINS COMPOSITION c').message,
    ).toMatch(/^Type VERSIONED_OBJECT is not supported in FROM, only: EHR, /);
    check(
      'SELECT vo/uid/value, vo/time_created/value FROM EHR e CONTAINS VERSIONED_OBJECT vo CONTAINS COMPOSITION c',
      true,
    );
  });

  it('rejects unsupported VERSION and EHR paths, full objects, EXISTS and non-latest versions', () => {
    expect(rejection(`SELECT v ${FROM}`).message).toBe(
      'Not implemented: selecting the full VERSION object (v)',
    );
    expect(rejection(`SELECT e ${FROM}`).message).toBe('Not implemented: selecting the full EHR object (e)');
    expect(rejection(`SELECT v/lifecycle_state ${FROM}`).message).toBe(
      'Not implemented: SELECT: VERSION path v/lifecycle_state is not supported',
    );
    expect(rejection(`SELECT e/ehr_status/subject/external_ref/id/value ${FROM}`).message).toBe(
      "Not implemented: SELECT: identified path 'ehr_status/subject/external_ref/id/value' for type EHR not supported",
    );
    expect(rejection(`SELECT c/uid/value ${FROM} WHERE EXISTS c/context`).message).toBe(
      'Not implemented: WHERE: EXISTS operator is not supported',
    );
    expect(
      rejection('SELECT c/uid/value FROM EHR e CONTAINS VERSION v[ALL_VERSIONS] CONTAINS COMPOSITION c')
        .message,
    ).toBe('Not implemented: Only VERSION queries without predicate or on LATEST_VERSION supported');
    expect(
      rejection("SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c WHERE c/context/setting = 'x'").message,
    ).toMatch(/only targets types that are not derived from DV_ORDERED and not primitive$/);
  });
});
