import { AtlasError, ConnectionError } from '../errors.js';
import type { QueryResult } from '../util/table.js';
import type { Store } from './types.js';

interface PgLikeError {
  message?: string;
  code?: string;
  detail?: string;
  hint?: string;
  position?: string;
}

/**
 * Runs one SQL text on the store. A statement the database rejects becomes a ConnectionError (exit 4, the
 * code for database errors) carrying the database's own message, SQLSTATE, detail and hint; never the
 * connection string (driver messages for rejected statements do not contain it).
 */
export async function runQuery(store: Store, sql: string): Promise<QueryResult> {
  try {
    return await store.query<Record<string, unknown>>(sql);
  } catch (err) {
    if (err instanceof AtlasError) throw err;
    const e = (err ?? {}) as PgLikeError;
    const parts = [`the database rejected the query: ${e.message ?? String(err)}`];
    if (e.code) parts[0] += ` (SQLSTATE ${e.code}${e.position ? `, at character ${e.position}` : ''})`;
    if (e.detail) parts.push(`detail: ${e.detail}`);
    if (e.hint) parts.push(`hint: ${e.hint}`);
    throw new ConnectionError(parts.join('\n'), { cause: err });
  }
}
