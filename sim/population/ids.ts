import { hash3, scramble, unscramble } from './hash.js';

/** Which kind of object an id names; each kind has its own key so id spaces never overlap. */
export type IdKind = 'composition' | 'ehr' | 'ehrStatus' | 'contribution';

const KIND_SALT: Record<IdKind, number> = { composition: 11, ehr: 23, ehrStatus: 37, contribution: 51 };

/** Two hex digits per byte value: ids are built on every request, so avoid toString/padStart. */
const HEX = Array.from({ length: 256 }, (_, b) => b.toString(16).padStart(2, '0'));

function hex8(n: number): string {
  return HEX[(n >>> 24) & 0xff]! + HEX[(n >>> 16) & 0xff]! + HEX[(n >>> 8) & 0xff]! + HEX[n & 0xff]!;
}

/**
 * Deterministic uuid (version 4 layout) for object `index` of a kind. The first 8 hex digits are a keyed
 * bijection of the index, the rest are hashed from (seed, kind, index); `indexOfId` inverts it.
 */
export function makeId(seed: number, kind: IdKind, index: number): string {
  const salt = KIND_SALT[kind];
  const key = hash3(seed, salt, 0x5eed);
  const a = hex8(scramble(index, key));
  const b = hex8(hash3(seed, index, salt * 7 + 1));
  const c = hex8(hash3(seed, index, salt * 7 + 2));
  const d = hex8(hash3(seed, index, salt * 7 + 3));
  const variant = '89ab'[Number.parseInt(c[0]!, 16) & 0x3]!;
  return `${a}-${b.slice(0, 4)}-4${b.slice(5, 8)}-${variant}${c.slice(1, 4)}-${c.slice(4, 8)}${d}`;
}

const UUID_RE = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

export function isUuid(s: string): boolean {
  return UUID_RE.test(s.toLowerCase());
}

/** The first 8 hex digits of `makeId(seed, kind, index)` as a number (its sort key). */
export function idPrefix(seed: number, kind: IdKind, index: number): number {
  return scramble(index, hash3(seed, KIND_SALT[kind], 0x5eed));
}

/** Index of a generated id, or -1 when the id was not generated for this seed/kind (or is ≥ limit). */
export function indexOfId(seed: number, kind: IdKind, id: string, limit: number): number {
  const lower = id.toLowerCase();
  if (!UUID_RE.test(lower)) return -1;
  const key = hash3(seed, KIND_SALT[kind], 0x5eed);
  const index = unscramble(Number.parseInt(lower.slice(0, 8), 16), key);
  if (index >= limit) return -1;
  return makeId(seed, kind, index) === lower ? index : -1;
}
