import { describe, expect, it } from 'vitest';
import { advisoryKey } from '../../../src/store/postgres/advisory-lock.js';
import { quoteIdent, table } from '../../../src/store/postgres/identifiers.js';

describe('identifiers', () => {
  it('quotes schema and table names, doubling embedded quotes', () => {
    expect(table('public', 'compositions')).toBe('"public"."compositions"');
    expect(quoteIdent('we"ird')).toBe('"we""ird"');
    expect(() => quoteIdent('')).toThrow(/invalid SQL identifier/);
  });
});

describe('advisoryKey', () => {
  it('is a stable signed 64-bit integer per (schema, template)', () => {
    const k = advisoryKey('public', 'T.v1');
    expect(k).toBe(advisoryKey('public', 'T.v1'));
    const n = BigInt(k);
    expect(n >= -(2n ** 63n) && n < 2n ** 63n).toBe(true);
    expect(advisoryKey('other', 'T.v1')).not.toBe(k);
    expect(advisoryKey('public', 'T.v2')).not.toBe(k);
  });
});
