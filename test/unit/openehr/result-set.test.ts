import { describe, expect, it } from 'vitest';
import { parseMaxFetch } from '../../../src/openehr/aql/max-fetch.js';
import { countCell, parseResultSet, stringCell, timeCell } from '../../../src/openehr/aql/result-set.js';

describe('AQL result sets', () => {
  it('reads an EHRbase result set by position', () => {
    const rs = parseResultSet({
      meta: { _type: 'RESULTSET', resultsize: 1, fetch: 50, offset: 0 },
      q: 'SELECT …',
      columns: [
        { path: 'e/ehr_id/value', name: 'ehr_id' },
        { path: 'c/uid/value', name: 'uid' },
      ],
      rows: [['e1', 'u1::s::1']],
    });
    expect(rs.rows).toEqual([['e1', 'u1::s::1']]);
    expect(rs.appliedFetch).toBe(50);
    expect(stringCell(rs.rows[0] ?? [], 1)).toBe('u1::s::1');
  });

  it('accepts Better: rows absent or null when empty, relative column paths', () => {
    expect(parseResultSet({ meta: {}, columns: [{ path: '/uid/value', name: 'uid' }] }).rows).toEqual([]);
    expect(parseResultSet({ columns: [], rows: null }).rows).toEqual([]);
  });

  it('rejects what is not a result set', () => {
    expect(() => parseResultSet('x')).toThrow(/not a JSON object/);
    expect(() => parseResultSet({ rows: {} })).toThrow(/non-array/);
    expect(() => parseResultSet({ rows: [1] })).toThrow(/not an array/);
  });

  it('reads times as strings or DV_DATE_TIME objects, null as absent', () => {
    expect(timeCell(['2024-03-06T13:08:16.21602Z'], 0)).toBe('2024-03-06T13:08:16.21602Z');
    expect(timeCell([{ _type: 'DV_DATE_TIME', value: '2024-01-01T00:00:00Z' }], 0)).toBe(
      '2024-01-01T00:00:00Z',
    );
    expect(timeCell([null], 0)).toBeUndefined();
    expect(stringCell([''], 0)).toBeUndefined();
  });

  it('reads counts as numbers or numeric strings', () => {
    expect(countCell([12], 0)).toBe(12);
    expect(countCell(['7'], 0)).toBe(7);
    expect(() => countCell([null], 0)).toThrow(/not a number/);
  });

  it('parses the max-fetch 422 message', () => {
    expect(parseMaxFetch('Fetch parameter 5000 exceeds maximum fetch 1000')).toBe(1000);
    expect(parseMaxFetch('Query LIMIT 50 exceeds maximum limit 10')).toBeUndefined();
    expect(parseMaxFetch(undefined)).toBeUndefined();
  });
});
