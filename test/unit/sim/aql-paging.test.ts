import { describe, expect, it } from 'vitest';
import { resolvePaging } from '../../../sim/aql/paging.js';
import { parseAql } from '../../../sim/aql/parser.js';

const plain = parseAql('SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c');
const limited = parseAql('SELECT c/uid/value FROM EHR e CONTAINS COMPOSITION c LIMIT 10 OFFSET 5');

function error(fn: () => unknown): { status: number; message: string } {
  try {
    fn();
  } catch (e) {
    return { status: (e as { status: number }).status, message: (e as Error).message };
  }
  throw new Error('no error');
}

describe('AQL paging rules (openehr-rest.md §4.4)', () => {
  it('maps fetch/offset (numbers or numeric strings) to a limit reported in meta', () => {
    expect(resolvePaging(plain, { fetch: '100', offset: 200 }, 'ehrbase', {})).toEqual({
      limit: 100,
      offset: 200,
      limited: true,
      fromRequest: true,
    });
    expect(resolvePaging(limited, {}, 'ehrbase', {})).toEqual({
      limit: 10,
      offset: 5,
      limited: true,
      fromRequest: false,
    });
    expect(resolvePaging(plain, {}, 'ehrbase', {})).toEqual({
      offset: 0,
      limited: false,
      fromRequest: false,
    });
  });

  it('answers 422 for offset without fetch, LIMIT with body paging, and above max-fetch / max-limit', () => {
    expect(error(() => resolvePaging(plain, { offset: 10 }, 'ehrbase', {}))).toEqual({
      status: 422,
      message: 'Query parameter for offset provided, but no fetch parameter',
    });
    expect(error(() => resolvePaging(limited, { fetch: 5 }, 'ehrbase', {}))).toEqual({
      status: 422,
      message:
        'Query contains a LIMIT clause, fetch and offset parameters must not be used (with fetch precedence REJECT)',
    });
    expect(error(() => resolvePaging(plain, { fetch: 1001 }, 'ehrbase', { maxFetch: 1000 }))).toEqual({
      status: 422,
      message: 'Fetch parameter 1001 exceeds maximum fetch 1000',
    });
    expect(error(() => resolvePaging(limited, {}, 'ehrbase', { maxLimit: 9 }))).toEqual({
      status: 422,
      message: 'Query LIMIT 10 exceeds maximum limit 9',
    });
  });

  it('answers 400 for non-numeric fetch', () => {
    expect(error(() => resolvePaging(plain, { fetch: 'ten' }, 'ehrbase', {}))).toEqual({
      status: 400,
      message: "invalid 'fetch' value 'ten'",
    });
  });

  it('better: offset alone is accepted and fetch narrows a LIMIT', () => {
    expect(resolvePaging(plain, { offset: 10 }, 'better', {})).toMatchObject({ offset: 10, limited: false });
    expect(resolvePaging(limited, { fetch: 3 }, 'better', {})).toMatchObject({ limit: 3, limited: true });
  });
});
