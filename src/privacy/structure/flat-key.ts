/** A FLAT key taken apart (openehr-rest.md §7.2): `seg(:i)/seg(:i)…(|attr(:i))`. */
export interface FlatKey {
  /** The key before `|` (with indexes): siblings share it, e.g. `…/identifier` and `…/identifier|issuer`. */
  base: string;
  /** Node ids without indexes, root first (`ctx` for context keys). */
  segments: string[];
  /** The attribute after `|`, without index (`issuer` for `|issuer:0`); undefined for the main value. */
  attr?: string;
}

const INDEX = /:\d+$/;

export function parseFlatKey(key: string): FlatKey {
  const bar = key.indexOf('|');
  const base = bar < 0 ? key : key.slice(0, bar);
  const segments = base.split('/').map((s) => s.replace(INDEX, ''));
  if (bar < 0) return { base, segments };
  return { base, segments, attr: key.slice(bar + 1).replace(INDEX, '') };
}

/**
 * The words of a node id, for matching names of elements (`gesundheitsbezogener_beruf` → gesundheitsbezogener,
 * beruf). Ids are already lower case (web template rules); trailing dots (`…anzeichens.`) are dropped.
 */
export function wordsOf(segment: string): string[] {
  return segment
    .toLowerCase()
    .split(/[_.\-\s]+/)
    .filter((w) => w.length > 0);
}
