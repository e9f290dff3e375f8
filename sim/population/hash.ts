/**
 * Integer hashing for the population index. Bulk attributes (template, EHR, times, flags) of a million
 * compositions are derived with these cheap pure functions at start-up; the per-composition PRNG
 * (pure-rand) is used only when a document body is generated.
 */

/** 32-bit avalanche mix (murmur3 fmix32). */
export function mix32(x: number): number {
  let h = x | 0;
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** Hash of (seed, index, salt) → uint32. Different salts give independent streams per attribute. */
export function hash3(seed: number, index: number, salt: number): number {
  return mix32(mix32(mix32(seed ^ 0x9e3779b9) ^ index) + Math.imul(salt, 0x27d4eb2d));
}

/** Uniform [0, 1) from (seed, index, salt). */
export function unit(seed: number, index: number, salt: number): number {
  return hash3(seed, index, salt) / 4294967296;
}

const MULT = 0x2c1b3c6d;
/** Modular inverse of MULT mod 2^32 (Newton iteration), so `scramble` can be undone. */
const MULT_INV = (() => {
  let inv = MULT;
  for (let i = 0; i < 5; i++) inv = Math.imul(inv, 2 - Math.imul(MULT, inv));
  return inv >>> 0;
})();

/**
 * A keyed bijection on uint32: the first 8 hex digits of every generated uuid are scramble(index), so ids
 * look random (uid order is unrelated to commit order) yet an id maps back to its index without a lookup
 * table.
 */
export function scramble(index: number, key: number): number {
  let x = (index ^ key) >>> 0;
  x = Math.imul(x, MULT) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, MULT) >>> 0;
  x ^= x >>> 16;
  return x >>> 0;
}

export function unscramble(value: number, key: number): number {
  let x = value >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, MULT_INV) >>> 0;
  x ^= x >>> 16;
  x = Math.imul(x, MULT_INV) >>> 0;
  return (x ^ key) >>> 0;
}
