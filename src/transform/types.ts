/** Pure functions of a composition: no I/O. */
export type FlatComposition = Record<string, unknown>;

/** How a composition is stored in `compositions.content` (`[export] composition_format`). */
export type CompositionFormat = 'preserve' | 'flatten';

export interface TransformedContent {
  /** The JSON object stored in `compositions.content`. */
  content: Record<string, unknown>;
  /**
   * The same, serialised for the database (parsed by PostgreSQL only): keys in JSONB's own order for a FLAT
   * object, canonical otherwise. Compare values, not this text, with `canonicalJson`.
   */
  json: string;
  /** SHA-256 hex of the canonical (recursively key-sorted) JSON of `content`. */
  checksum: string;
}
