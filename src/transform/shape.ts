import { flattenKeys } from './flatten.js';
import type { CompositionFormat, FlatComposition } from './types.js';

/**
 * Everything about a composition's key list that does not depend on its values: the stored keys, their two
 * orders and their serialised `"key":` prefixes. Compositions of a template mostly share one key list, so a
 * transformer computes this once per list and then only serialises values.
 */
export interface Shape {
  keys: readonly string[];
  /** Stored key for each input key (the input key itself for `preserve`). */
  outKeys: readonly string[];
  /** Whether any stored key differs from its input key. */
  renamed: boolean;
  /** Input positions in UTF-16 code unit order of their stored keys: the canonical order the checksum uses. */
  order: readonly number[];
  /** Input positions in the order JSONB keeps object keys (see `jsonbKeyOrder`): the order sent to the server. */
  storeOrder: readonly number[];
  prefixes: readonly string[];
}

/** The two texts of one FLAT composition: canonical (hashed) and in JSONB key order (sent to PostgreSQL). */
export interface FlatTexts {
  canonical: string;
  stored: string;
}

export function computeShape(keys: readonly string[], format: CompositionFormat): Shape {
  const outKeys = format === 'flatten' ? flattenKeys(keys) : keys;
  const order = keys.map((_, i) => i);
  order.sort((a, b) => {
    const x = outKeys[a]!;
    const y = outKeys[b]!;
    return x < y ? -1 : x > y ? 1 : 0;
  });
  const storeOrder = jsonbKeyOrder(outKeys);
  return {
    keys,
    outKeys,
    renamed: outKeys.some((k, i) => k !== keys[i]),
    order,
    storeOrder: storeOrder.every((p, i) => p === order[i]) ? order : storeOrder,
    prefixes: outKeys.map((k) => `${JSON.stringify(k)}:`),
  };
}

/**
 * Positions of `keys` in the order JSONB stores object keys: shorter UTF-8 byte length first, then bytewise
 * (PostgreSQL's `lengthCompareJsonbStringValue`). The server sorts every object it parses into that order;
 * text that arrives in it already takes qsort's presorted path, which a statement-level profile showed as ~4%
 * of the export's PostgreSQL CPU when keys came alphabetically. Only speed depends on it, never the result.
 */
export function jsonbKeyOrder(keys: readonly string[]): number[] {
  const bytes = keys.map((k) => Buffer.from(k, 'utf8'));
  return keys
    .map((_, i) => i)
    .sort((a, b) => bytes[a]!.length - bytes[b]!.length || Buffer.compare(bytes[a]!, bytes[b]!));
}

/**
 * The stored content's JSON, canonical and in JSONB key order, straight from the input values; undefined
 * when a value is an object or array (then the general canonicalisation handles the nesting). Values are read
 * positionally (`Object.values` lists them in `Object.keys` order, which is the shape's key order): reading
 * them by key was a megamorphic lookup per key in the profile.
 */
export function serializeFlat(flat: FlatComposition, shape: Shape): FlatTexts | undefined {
  const values = Object.values(flat);
  const texts: Array<string | undefined> = new Array(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    if (value !== null && typeof value === 'object') return undefined;
    texts[i] = JSON.stringify(value); // undefined for what JSON.stringify drops (undefined members)
  }
  const canonical = concatMembers(texts, shape.prefixes, shape.order);
  const stored =
    shape.storeOrder === shape.order ? canonical : joinMembers(texts, shape.prefixes, shape.storeOrder);
  return { canonical, stored };
}

/** Appends (a rope): cheapest to build, flattened once by the hash that consumes it right away. */
function concatMembers(
  texts: ReadonlyArray<string | undefined>,
  prefixes: readonly string[],
  order: readonly number[],
): string {
  let out = '{';
  let first = true;
  for (const i of order) {
    const text = texts[i];
    if (text === undefined) continue;
    out += first ? prefixes[i]! + text : `,${prefixes[i]}${text}`;
    first = false;
  }
  return out + '}';
}

/**
 * Joins into one flat string: this text waits in a batch until it is written, and a rope of a few hundred
 * pieces kept that long is copied by every young-generation collection it survives (measured: +25% exporter
 * CPU when the stored text was built by appending).
 */
function joinMembers(
  texts: ReadonlyArray<string | undefined>,
  prefixes: readonly string[],
  order: readonly number[],
): string {
  const parts: string[] = ['{'];
  for (const i of order) {
    const text = texts[i];
    if (text === undefined) continue;
    if (parts.length > 1) parts.push(',');
    parts.push(prefixes[i]!, text);
  }
  parts.push('}');
  return parts.join('');
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
