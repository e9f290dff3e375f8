import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  compareInstants,
  formatInstant,
  instantNs,
  laterInstant,
  minusSeconds,
} from '../../../src/util/instant.js';

describe('instants', () => {
  it('compares by instant across offsets and fraction lengths', () => {
    expect(compareInstants('2024-03-06T13:08:16.21602Z', '2024-03-06T15:08:16.216020+02:00')).toBe(0);
    expect(compareInstants('2024-03-06T13:08:16.2Z', '2024-03-06T13:08:16.19999999Z')).toBe(1);
    expect(compareInstants('2024-03-06T13:08:16Z', '2024-03-06T13:08:16.000000001Z')).toBe(-1);
    // String order would say the opposite here.
    expect(compareInstants('2024-03-06T12:00:00-05:00', '2024-03-06T13:00:00Z')).toBe(1);
  });

  it('keeps nanoseconds that Date.parse would drop', () => {
    expect(instantNs('1970-01-01T00:00:00.000000123Z')).toBe(123n);
    expect(instantNs('1970-01-01T00:00:01,5Z')).toBe(1_500_000_000n);
  });

  it('reads a missing offset as UTC and rejects garbage', () => {
    expect(instantNs('2024-01-01T00:00:00')).toBe(instantNs('2024-01-01T00:00:00Z'));
    expect(() => instantNs('yesterday')).toThrow(/not an ISO-8601/);
  });

  it('formats the shortest exact UTC form and round-trips', () => {
    expect(formatInstant(instantNs('2024-03-06T15:08:16.216020+02:00'))).toBe('2024-03-06T13:08:16.21602Z');
    expect(formatInstant(instantNs('2024-03-06T13:08:16.000Z'))).toBe('2024-03-06T13:08:16Z');
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 18n), max: 4n * 10n ** 18n }), (ns) => {
        expect(instantNs(formatInstant(ns))).toBe(ns);
      }),
    );
  });

  it('subtracts seconds and picks the later bound', () => {
    expect(minusSeconds('2024-01-01T00:02:00.5+00:00', 180)).toBe('2023-12-31T23:59:00.5Z');
    expect(laterInstant(undefined, '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
    expect(laterInstant('2024-01-01T01:00:00+02:00', '2024-01-01T00:00:00Z')).toBe('2024-01-01T00:00:00Z');
    expect(laterInstant('2024-01-02T00:00:00Z', undefined)).toBe('2024-01-02T00:00:00Z');
  });
});
