import type { SnapshotReader } from '../store/types.js';
import type { BoundQuery } from './source-query.js';

/** Rows fetched per round trip: small enough to bound memory, large enough to amortise the round trip. */
export const FETCH_ROWS = 5_000;

const CURSOR = 'atlas_views_export';

/**
 * The rows of `query` in batches through a server-side cursor (inside the caller's snapshot transaction):
 * the database holds the result, Node holds one batch. Works the same on PostgreSQL and the embedded
 * database (both speak SQL cursors).
 */
export async function* cursorBatches(
  reader: SnapshotReader,
  query: BoundQuery,
  fetchRows = FETCH_ROWS,
): AsyncGenerator<Array<Array<string | null>>> {
  await reader.rows(`DECLARE ${CURSOR} NO SCROLL CURSOR FOR ${query.sql}`, query.params);
  try {
    for (;;) {
      const rows = await reader.rows(`FETCH FORWARD ${fetchRows} FROM ${CURSOR}`);
      if (rows.length === 0) return;
      yield rows;
    }
  } finally {
    await reader.rows(`CLOSE ${CURSOR}`);
  }
}
