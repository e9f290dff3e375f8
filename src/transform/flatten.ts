import type { FlatComposition } from './types.js';

/**
 * `:0` directly before a `/`, a `|` or the end of the key: the index of a first occurrence, e.g. the one in
 * `vital_signs/body_temperature:0/any_event:0/temperature|magnitude` or `ctx/participation_identifiers:1|id:0`.
 * `:10`, `:01` or `:0x` never match, so later occurrences keep their index.
 */
const FIRST_INDEX = /:0(?=[/|]|$)/g;

/** The key with the `:0` of every first occurrence removed. */
export function dropFirstIndexes(key: string): string {
  return key.includes(':0') ? key.replace(FIRST_INDEX, '') : key;
}

/**
 * The stored keys of the `flatten` format for a composition's keys (docs/flatten.md), position by position.
 * A key is renamed to its short form only when the short form is not an input key itself and no other
 * input key shortens to the same text; otherwise it is kept verbatim. Renamed keys are thus distinct from
 * each other and from every input key, and kept keys are distinct input keys, so no value is ever lost to a
 * collision, whatever the input and its key order.
 */
export function flattenKeys(keys: readonly string[]): string[] {
  const shortForms = keys.map(dropFirstIndexes);
  // How many input keys shorten to each short form; an input key that is already short counts for itself.
  const claims = new Map<string, number>();
  for (const short of shortForms) claims.set(short, (claims.get(short) ?? 0) + 1);
  const inputKeys = new Set(keys);
  return keys.map((key, i) => {
    const short = shortForms[i]!;
    return short !== key && claims.get(short) === 1 && !inputKeys.has(short) ? short : key;
  });
}

/**
 * The `flatten` format: the same FLAT key/value pairs, values untouched, keys as `flattenKeys` gives them, so
 * `content->>'vital_signs/body_temperature/any_event/temperature|magnitude'` reads the first temperature,
 * while `…/any_event:1/…` reads the second. Output keys keep the input order.
 */
export function flattenComposition(flat: FlatComposition): Record<string, unknown> {
  const keys = Object.keys(flat);
  return rekey(flat, keys, flattenKeys(keys));
}

/** A new object with `keys[i]`'s value stored under `outKeys[i]`. */
export function rekey(
  flat: FlatComposition,
  keys: readonly string[],
  outKeys: readonly string[],
): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = outKeys[i]!;
    // A `__proto__` key (JSON.parse makes it an own property) must stay data; `=` would set the prototype.
    if (key === '__proto__') {
      Object.defineProperty(out, key, {
        value: flat[keys[i]!],
        enumerable: true,
        writable: true,
        configurable: true,
      });
    } else {
      out[key] = flat[keys[i]!];
    }
  }
  return out;
}
