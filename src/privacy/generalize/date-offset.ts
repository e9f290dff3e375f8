import type { KeyedHasher } from '../keyed-hash.js';

/**
 * The EHR's date offset: HMAC-SHA-256(key, 'shift:' + ehr_id) read as an unsigned 32-bit integer, mapped to
 * -365..-1 or 1..365 days (never 0, so every date moves). Without the key the offset cannot be computed, so
 * shifted dates cannot be moved back; with the key it is the same in every run.
 */
export function dateOffsetDays(hasher: KeyedHasher, ehrId: string): number {
  const n = hasher.mac('shift:' + ehrId).readUInt32BE(0) % 730;
  return n < 365 ? n - 365 : n - 364;
}
