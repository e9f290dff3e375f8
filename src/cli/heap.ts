import { setFlagsFromString } from 'node:v8';

/** Growth of V8's old-generation limit after each full collection: live size × (1 + percent / 100). */
export const HEAP_GROWING_PERCENT = 100;

const USER_HEAP_FLAGS = /--(heap-growing-percent|max-old-space-size|max-heap-size|max-semi-space-size)\b/;

/**
 * Keeps Atlas's resident memory flat over long exports. By default V8 lets the heap grow to several times the
 * live data before a full collection; an export allocates tens of KB of short-lived data per composition and
 * its batches live long enough to be promoted, so peak RSS grew with the length of the run (310 MiB at 100k
 * compositions in the benchmark, docs/benchmark.md). A growing factor of 2 held it near 190 MiB for a few
 * per cent more GC time. The flag is read at every collection, so setting it at start-up takes effect; it is
 * left alone when the user passed heap flags of their own (command line or NODE_OPTIONS).
 */
export function boundHeapGrowth(
  execArgv: readonly string[] = process.execArgv,
  nodeOptions: string = process.env.NODE_OPTIONS ?? '',
): boolean {
  if ([...execArgv, nodeOptions].some((arg) => USER_HEAP_FLAGS.test(arg))) return false;
  setFlagsFromString(`--heap-growing-percent=${HEAP_GROWING_PERCENT}`);
  return true;
}
