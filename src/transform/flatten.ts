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
 * The `flatten` format (docs/flatten.md): the same FLAT key/value pairs, values untouched, with the `:0` of
 * first occurrences removed from the keys, so `content->>'vital_signs/body_temperature/any_event/temperature|magnitude'`
 * reads the first temperature, while `…/any_event:1/…` reads the second.
 *
 * A key is renamed only when its short form is not an input key itself and no other input key shortens to
 * the same text; otherwise it is kept verbatim. Renamed keys are thus distinct from each other and from every
 * input key, and kept keys are distinct input keys, so no value is ever lost to a collision, whatever the
 * input and its key order. Output keys keep the input order. `shortKeyOf` must compute `dropFirstIndexes`
 * (a cached version of it, see `createShortKeyCache`).
 */
export function flattenComposition(
  flat: FlatComposition,
  shortKeyOf: (key: string) => string = dropFirstIndexes,
): Record<string, unknown> {
  const keys = Object.keys(flat);
  const shortForms = new Array<string>(keys.length);
  // How many input keys shorten to each short form; an input key that is already short counts for itself.
  const claims = new Map<string, number>();
  for (let i = 0; i < keys.length; i++) {
    const short = shortKeyOf(keys[i]!);
    shortForms[i] = short;
    claims.set(short, (claims.get(short) ?? 0) + 1);
  }
  const out: Record<string, unknown> = {};
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]!;
    const short = shortForms[i]!;
    const renamed = short !== key && claims.get(short) === 1 && !Object.hasOwn(flat, short);
    setOwn(out, renamed ? short : key, flat[key]);
  }
  return out;
}

/** Assignment that also works for a `__proto__` key (JSON.parse makes it an own property; `=` would not). */
function setOwn(target: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__') {
    Object.defineProperty(target, key, { value, enumerable: true, writable: true, configurable: true });
  } else {
    target[key] = value;
  }
}
