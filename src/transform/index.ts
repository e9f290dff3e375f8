import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json.js';
import { flattenComposition } from './flatten.js';
import { createShortKeyCache } from './short-key-cache.js';
import type { CompositionFormat, FlatComposition, TransformedContent } from './types.js';

export { canonicalJson } from './canonical-json.js';
export { checksumOf } from './checksum.js';
export { dropFirstIndexes, flattenComposition } from './flatten.js';
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
  const content = format === 'flatten' ? flattenComposition(flat) : flat;
  return finish(content);
}

/**
 * `transformComposition` for a stream of compositions: identical results, but flatten remembers the short
 * form of each FLAT key it has seen (bounded), which makes it several times faster on real batches.
 */
export function createTransformer(format: CompositionFormat): (flat: FlatComposition) => TransformedContent {
  if (format === 'preserve') return (flat) => finish(flat);
  const shortKeyOf = createShortKeyCache();
  return (flat) => finish(flattenComposition(flat, shortKeyOf));
}

function finish(content: Record<string, unknown>): TransformedContent {
  const json = canonicalJson(content);
  return { content, json, checksum: createHash('sha256').update(json, 'utf8').digest('hex') };
}
