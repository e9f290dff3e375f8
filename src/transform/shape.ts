import { flattenKeys } from './flatten.js';
import type { CompositionFormat, FlatComposition } from './types.js';

/**
 * Everything about a composition's key list that does not depend on its values: the stored keys, their
 * canonical (sorted) order and their serialised `"key":` prefixes. Compositions of a template mostly share
 * one key list, so a transformer computes this once per list and then only serialises values.
 */
export interface Shape {
  keys: readonly string[];
  /** Stored key for each input key (the input key itself for `preserve`). */
  outKeys: readonly string[];
  /** Whether any stored key differs from its input key. */
  renamed: boolean;
  /** Input positions in UTF-16 code unit order of their stored keys. */
  order: readonly number[];
  prefixes: readonly string[];
}

export function computeShape(keys: readonly string[], format: CompositionFormat): Shape {
  const outKeys = format === 'flatten' ? flattenKeys(keys) : keys;
  const order = keys.map((_, i) => i);
  order.sort((a, b) => {
    const x = outKeys[a]!;
    const y = outKeys[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  return {
    keys,
    outKeys,
    renamed: outKeys.some((k, i) => k !== keys[i]),
    order,
    prefixes: outKeys.map((k) => `${JSON.stringify(k)}:`),
  };
}

/**
 * The canonical JSON of the stored content, straight from the input values in sorted key order; undefined
 * when a value is an object or array (then the general canonicalisation handles the nesting). Values are read
 * positionally (`Object.values` lists them in `Object.keys` order, which is the shape's key order): reading
 * them by key was a megamorphic lookup per key in the profile.
 */
export function serializeFlat(flat: FlatComposition, shape: Shape): string | undefined {
  const values = Object.values(flat);
  let out = '{';
  let first = true;
  for (const i of shape.order) {
    const value = values[i];
    if (value !== null && typeof value === 'object') return undefined;
    const text = JSON.stringify(value);
    if (text === undefined) continue; // dropped, as JSON.stringify drops undefined members
    out += first ? shape.prefixes[i] + text : `,${shape.prefixes[i]}${text}`;
    first = false;
  }
  return out + '}';
}

const MAX_SHAPES = 2_000;

/** Shapes remembered per key list (confirmed by identity of every key; JSON.parse interns keys). */
export function createShapeCache(format: CompositionFormat): (keys: readonly string[]) => Shape {
  const shapes = new Map<string, Shape>();
  return (keys) => {
    const signature = `${keys.length}\0${keys[0] ?? ''}\0${keys[keys.length - 1] ?? ''}`;
    const known = shapes.get(signature);
    if (known && sameKeys(known.keys, keys)) return known;
    const shape = computeShape(keys.slice(), format);
    if (shapes.size >= MAX_SHAPES) shapes.clear();
    shapes.set(signature, shape);
    return shape;
  };
}

function sameKeys(a: readonly string[], b: readonly string[]): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}
