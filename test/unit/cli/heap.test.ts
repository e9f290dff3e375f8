import { describe, expect, it } from 'vitest';
import { boundHeapGrowth } from '../../../src/cli/heap.js';

describe('boundHeapGrowth', () => {
  it('leaves the heap alone when the user passed heap flags on the command line or in NODE_OPTIONS', () => {
    expect(boundHeapGrowth(['--max-old-space-size=512'], '')).toBe(false);
    expect(boundHeapGrowth([], '--enable-source-maps --heap-growing-percent=300')).toBe(false);
    expect(boundHeapGrowth([], '--max-semi-space-size=8')).toBe(false);
  });

  it('bounds heap growth otherwise (other node flags do not count as heap flags)', () => {
    expect(boundHeapGrowth(['--enable-source-maps'], '--no-warnings')).toBe(true);
  });
});
