import { describe, expect, it } from 'vitest';
import {
  boundHeapGrowth,
  HEAP_GROWING_PERCENT,
  type HeapGovernorDeps,
  heapGrowingFor,
  RSS_RELAX_BYTES,
  RSS_TIGHTEN_BYTES,
} from '../../../src/cli/heap.js';

const { roomy, tight } = HEAP_GROWING_PERCENT;

/** A governor driven by hand: the resident size is set by the test, ticks run when the test says. */
function fakeProcess(rss: number) {
  const state = { rss, flags: [] as string[], tick: undefined as (() => void) | undefined, unrefed: false };
  const deps: HeapGovernorDeps = {
    rss: () => state.rss,
    setFlags: (f) => state.flags.push(f),
    repeat: (fn) => {
      state.tick = fn;
      return {
        unref: () => {
          state.unrefed = true;
        },
      };
    },
  };
  return { state, deps };
}

describe('boundHeapGrowth', () => {
  it('leaves the heap alone when the user passed heap flags on the command line or in NODE_OPTIONS', () => {
    for (const [argv, env] of [
      [['--max-old-space-size=512'], ''],
      [[], '--enable-source-maps --heap-growing-percent=300'],
      [[], '--max-semi-space-size=8'],
    ] as const) {
      const { state, deps } = fakeProcess(0);
      expect(boundHeapGrowth(argv, env, deps)).toBe(false);
      expect(state.flags).toEqual([]);
      expect(state.tick).toBeUndefined();
    }
  });

  it('starts roomy, tightens near the memory budget and relaxes well below it, with an unref timer', () => {
    const { state, deps } = fakeProcess(100 * 1024 * 1024);
    expect(boundHeapGrowth(['--enable-source-maps'], '--no-warnings', deps)).toBe(true);
    expect(state.flags).toEqual([`--heap-growing-percent=${roomy}`]);
    expect(state.unrefed).toBe(true);
    state.tick!(); // unchanged: no flag set again
    state.rss = RSS_TIGHTEN_BYTES + 1;
    state.tick!();
    state.rss = RSS_RELAX_BYTES + 1; // between the thresholds: stays tight
    state.tick!();
    state.rss = RSS_RELAX_BYTES - 1;
    state.tick!();
    expect(state.flags).toEqual([
      `--heap-growing-percent=${roomy}`,
      `--heap-growing-percent=${tight}`,
      `--heap-growing-percent=${roomy}`,
    ]);
  });

  it('starts tight when the process is already past the threshold', () => {
    const { state, deps } = fakeProcess(RSS_TIGHTEN_BYTES);
    boundHeapGrowth([], '', deps);
    expect(state.flags).toEqual([`--heap-growing-percent=${tight}`]);
  });
});

describe('heapGrowingFor', () => {
  it('keeps the factor in force between the two thresholds', () => {
    const between = (RSS_RELAX_BYTES + RSS_TIGHTEN_BYTES) / 2;
    expect(heapGrowingFor(between, roomy)).toBe(roomy);
    expect(heapGrowingFor(between, tight)).toBe(tight);
    expect(heapGrowingFor(RSS_TIGHTEN_BYTES, roomy)).toBe(tight);
    expect(heapGrowingFor(RSS_RELAX_BYTES, tight)).toBe(roomy);
    expect(roomy).toBeGreaterThan(tight);
  });
});
