import { describe, expect, it } from 'vitest';
import { pageSizeWithin } from '../../../src/openehr/aql/discovery.js';

/** fetch = "aql": pages of whole compositions shrink to a byte budget, never below 100 rows (≤ 0.01 requests each). */
describe('pageSizeWithin', () => {
  const MB16 = 16 * 1024 * 1024;
  it('keeps batch_size for small rows', () => {
    expect(pageSizeWithin(1000, MB16, 5_000)).toBe(1000);
  });
  it('shrinks for large rows', () => {
    expect(pageSizeWithin(1000, MB16, 45_000)).toBe(Math.floor(MB16 / 45_000));
  });
  it('never below 100 rows, nor above batch_size', () => {
    expect(pageSizeWithin(1000, MB16, 10_000_000)).toBe(100);
    expect(pageSizeWithin(100, MB16, 1_000)).toBe(100);
  });
  it('without a measurement, batch_size', () => {
    expect(pageSizeWithin(500, MB16, 0)).toBe(500);
    expect(pageSizeWithin(500, MB16, Number.NaN)).toBe(500);
  });
});
