import { describe, expect, it } from 'vitest';
import { checkSince, decimalShape } from '../../../src/analytics/index.js';

describe('decimalShape', () => {
  it('keeps precision 38 and takes the largest scale present', () => {
    expect(decimalShape('3', '12345.678')).toEqual({ kind: 'decimal', precision: 38, scale: 3 });
    expect(decimalShape(null, null)).toEqual({ kind: 'decimal', precision: 38, scale: 0 });
  });
  it('falls back to exact text when 38 digits do not hold the values', () => {
    expect(decimalShape('30', '123456789.1')).toEqual({ kind: 'text' });
    expect(decimalShape('0', '1'.padEnd(39, '0'))).toEqual({ kind: 'text' });
    expect(decimalShape('0', '1'.padEnd(38, '0'))).toEqual({ kind: 'decimal', precision: 38, scale: 0 });
  });
});

describe('checkSince', () => {
  it('accepts ISO 8601 dates and date-times, refuses anything else with a usage error', () => {
    expect(checkSince('2026-01-31')).toBe('2026-01-31');
    expect(checkSince('2026-01-31T12:00:00.123456+02:00')).toBe('2026-01-31T12:00:00.123456+02:00');
    expect(() => checkSince('yesterday')).toThrow(/ISO 8601/);
    expect(() => checkSince('2026-13-01')).toThrow(/ISO 8601/);
  });
});
