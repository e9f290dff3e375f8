import { hash3, mix32 } from '../population/hash.js';

/**
 * The randomness a generated composition draws from. Two kinds of streams, both pure functions of seeds:
 * `next()` varies per composition (and version), `patient(key)` is fixed per patient and node key, so a
 * patient's baseline (a blood pressure, a chronic diagnosis) stays the same across their compositions.
 */
export interface Draws {
  /** Uniform [0, 1), a new value per call (per-composition stream). */
  next(): number;
  /** Uniform [0, 1), the same for one patient and key in every composition. */
  patient(key: string): number;
}

/** FNV-1a of a string → uint32 (node keys of the patient stream). */
export function hashString(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Draws for composition `index` (version `version`) of patient `ehr` under `seed`. */
export function drawsFor(seed: number, ehr: number, index: number, version: number): Draws {
  let state = hash3(seed, index, 0x5eed + version);
  return {
    next() {
      state = mix32(state + 0x6d2b79f5);
      return state / 4294967296;
    },
    patient(key: string) {
      return hash3(seed ^ 0x51ed270b, ehr, hashString(key)) / 4294967296;
    },
  };
}

/** Draws that always answer 0.5 / the first choice: EHRbase's example generator (flat-codec-rules.md §8.3). */
export const EXAMPLE_DRAWS: Draws = { next: () => 0, patient: () => 0 };

/** Zipf weights 1/k^s for k = 1..n, cumulative (s = 1.1: a few values common, most rare). */
const zipfCache = new Map<number, Float64Array>();
function zipfCumulative(n: number): Float64Array {
  let c = zipfCache.get(n);
  if (!c) {
    c = new Float64Array(n);
    let sum = 0;
    for (let k = 0; k < n; k++) {
      sum += 1 / (k + 1) ** 1.1;
      c[k] = sum;
    }
    for (let k = 0; k < n; k++) c[k]! /= sum;
    zipfCache.set(n, c);
  }
  return c;
}

/** Index in [0, n) with Zipf-skewed frequencies (index 0 most common), from a uniform u. */
export function zipfIndex(n: number, u: number): number {
  if (n <= 1) return 0;
  const c = zipfCumulative(n);
  let lo = 0;
  let hi = n - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (c[mid]! > u) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Standard normal from two uniforms (Box–Muller); u1 is kept away from 0. */
export function normal(u1: number, u2: number): number {
  return Math.sqrt(-2 * Math.log(Math.max(u1, 1e-12))) * Math.cos(2 * Math.PI * u2);
}
