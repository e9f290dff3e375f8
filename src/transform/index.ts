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
 * `checksum` is the SHA-256 of the canonical text of `content` (keys sorted, see `canonicalJson`), which is
 * what verify recomputes from the database. `json` is the same JSON value with its keys in the order JSONB
 * keeps them (JSONB keeps no input order, so the stored value is identical), which spares the server its key
 * sort; for a FLAT object both texts come from one pass over the values.
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
  const texts = serializeFlat(flat, shape);
  const canonical = texts?.canonical ?? canonicalJson(content);
  return {
    content,
    json: texts?.stored ?? canonical,
    checksum: createHash('sha256').update(canonical, 'utf8').digest('hex'),
  };
}
