/** Pure functions of a composition: no I/O. */
export type FlatComposition = Record<string, unknown>;

/** How a composition is stored in `compositions.content` (`[export] composition_format`). */
export type CompositionFormat = 'preserve' | 'flatten';

export interface TransformedContent {
  /** The JSON object stored in `compositions.content`. */
  content: Record<string, unknown>;
  /** The same, serialised once (stored as-is, so the JSONB parse happens in PostgreSQL only). */
  json: string;
  /** SHA-256 hex of the canonical (recursively key-sorted) JSON of `content`. */
  checksum: string;
}
