import { setFlagsFromString } from 'node:v8';

/**
 * Growth of V8's old-generation limit after each full collection: live size × (1 + percent / 100). Roomy
 * while the process is well inside its memory budget, tight once it gets near it.
 */
export const HEAP_GROWING_PERCENT = { roomy: 150, tight: 100 } as const;

const MIB = 1024 * 1024;
/** Resident size at which growth is tightened, and below which it is relaxed again (hysteresis). */
export const RSS_TIGHTEN_BYTES = 224 * MIB;
export const RSS_RELAX_BYTES = 192 * MIB;
const CHECK_EVERY_MS = 500;

const USER_HEAP_FLAGS = /--(heap-growing-percent|max-old-space-size|max-heap-size|max-semi-space-size)\b/;

/** The growing percent for the resident size `rss`, given the one in force (unchanged between the thresholds). */
export function heapGrowingFor(rss: number, current: number): number {
  if (rss >= RSS_TIGHTEN_BYTES) return HEAP_GROWING_PERCENT.tight;
  if (rss <= RSS_RELAX_BYTES) return HEAP_GROWING_PERCENT.roomy;
  return current;
}

export interface HeapGovernorDeps {
  rss: () => number;
  setFlags: (flags: string) => void;
  repeat: (fn: () => void, ms: number) => { unref(): unknown };
}

const processDeps: HeapGovernorDeps = {
  rss: () => process.memoryUsage.rss(),
  setFlags: setFlagsFromString,
  repeat: setInterval,
};

/**
 * Keeps Atlas's resident memory bounded over long exports without paying for it while memory is plentiful.
 * By default V8 lets the heap grow to several times the live data before a full collection; an export
 * allocates tens of KB of short-lived data per composition and its batches live long enough to be promoted, so
 * peak RSS grew with the length of the run (310 MiB at 100k compositions in the benchmark, docs/benchmark.md).
 * A growing factor of 2 held it near 260 MiB up to 1M compositions; 2.5 saves ~6% of the exporter's CPU (fewer
 * full collections) but reached 285 MiB at 1M. So the factor is 2.5 while the process stays under
 * `RSS_TIGHTEN_BYTES` and 2 above it, checked twice a second (the flag is read at every collection, so a
 * change takes effect at the next one). Nothing is changed when the user passed heap flags of their own
 * (command line or NODE_OPTIONS).
 */
export function boundHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
  deps: HeapGovernorDeps = processDeps,
): boolean {
  if ([...execArgv, nodeOptions].some((arg) => USER_HEAP_FLAGS.test(arg))) return false;
  let current = heapGrowingFor(deps.rss(), HEAP_GROWING_PERCENT.tight);
  deps.setFlags(`--heap-growing-percent=${current}`);
  deps
    .repeat(() => {
      const next = heapGrowingFor(deps.rss(), current);
      if (next === current) return;
      current = next;
      deps.setFlags(`--heap-growing-percent=${current}`);
    }, CHECK_EVERY_MS)
    .unref(); // never what keeps the process alive
  return true;
}
