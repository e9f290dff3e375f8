import { javaDouble } from './java-number.js';
import type { FlatComposition } from './types.js';

/**
 * Keys of a FLAT object made by `canonicalToFlat` whose values are RM reals. JSON numbers carry no type, so a
 * magnitude of 22 would print as `22`; EHRbase prints `22.0`. The object itself stays a plain FLAT map (what
 * Atlas stores: JSON.parse of a server's `22.0` is 22 as well, so stored text and checksums agree either way).
 */
const realKeys = new WeakMap<FlatComposition, ReadonlySet<string>>();

export function markReals(flat: FlatComposition, keys: ReadonlySet<string>): void {
  if (keys.size > 0) realKeys.set(flat, keys);
}

/** The keys of `flat` that `canonicalToFlat` wrote as reals (empty for any other object). */
export function realsOf(flat: FlatComposition): ReadonlySet<string> {
  return realKeys.get(flat) ?? EMPTY;
}
const EMPTY: ReadonlySet<string> = new Set();

/**
 * FLAT text as EHRbase sends it: Jackson's default pretty printer (`"key" : value`, two-space indent) with
 * reals in Java notation (`39.0`). `pretty: false` gives the compact form with the same number text.
 */
export function formatFlat(flat: FlatComposition, options: { pretty?: boolean } = {}): string {
  const pretty = options.pretty ?? true;
  const reals = realsOf(flat);
  const parts: string[] = [];
  for (const [key, value] of Object.entries(flat)) {
    if (value === undefined) continue;
    const text = typeof value === 'number' && reals.has(key) ? javaDouble(value) : JSON.stringify(value);
    parts.push(pretty ? `  ${JSON.stringify(key)} : ${text}` : `${JSON.stringify(key)}:${text}`);
  }
  if (parts.length === 0) return pretty ? '{ }' : '{}';
  return pretty ? `{\n${parts.join(',\n')}\n}` : `{${parts.join(',')}}`;
}
