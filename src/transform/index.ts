import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { rekey } from './flatten.js';
import { computeShape, createShapeCache, type Shape, serializeFlat } from './shape.js';
import type { CompositionFormat, FlatComposition, TransformedContent } from './types.js';

export { canonicalJson } from './canonical-json.js';
export { checksumOf } from './checksum.js';
export { dropFirstIndexes, flattenComposition, flattenKeys } from './flatten.js';
export type { CompositionFormat, FlatComposition, TransformedContent } from './types.js';

/**
 * What is stored for one composition. `preserve`: the FLAT object exactly as parsed from the server (its key
 * order, its values; see docs/flatten.md on numbers beyond 2^53). `flatten`: see `flattenComposition`.
 * Anonymisation, when enabled, runs before this (it needs the FLAT paths), so the checksum covers the content
 * as stored.
 *
 * `json` is the canonical text of `content` (keys sorted, see `canonicalJson`): the same JSON value as
 * `JSON.stringify(content)`, and PostgreSQL's JSONB keeps no key order anyway, but serialising once and
 * hashing exactly the text that is sent to the database halves the cost and makes the checksum a property of
 * the stored text itself.
 */
export function transformComposition(flat: FlatComposition, format: CompositionFormat): TransformedContent {
  return transformWithShape(flat, computeShape(Object.keys(flat), format));
}

/**
 * `transformComposition` for a stream of compositions: identical results, but the key-dependent work (new
 * keys, their sort order, their serialised form) is done once per distinct key list (bounded cache), which
 * makes it markedly faster on real batches, where a template's compositions share their keys.
 */
export function createTransformer(format: CompositionFormat): (flat: FlatComposition) => TransformedContent {
  const shapeOf = createShapeCache(format);
  return (flat) => transformWithShape(flat, shapeOf(Object.keys(flat)));
}

function transformWithShape(flat: FlatComposition, shape: Shape): TransformedContent {
  const content = shape.renamed ? rekey(flat, shape.keys, shape.outKeys) : flat;
  const json = serializeFlat(flat, shape) ?? canonicalJson(content);
  return { content, json, checksum: createHash('sha256').update(json, 'utf8').digest('hex') };
}
