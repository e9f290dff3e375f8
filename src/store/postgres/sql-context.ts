import type pg from 'pg';
import { coerceError } from '../../errors.js';
import { table } from './identifiers.js';
import type { LockWaitWatch } from './lock-wait.js';

/** What every store query needs: a pool and the schema holding Atlas's tables. */
export interface SqlContext {
  readonly pool: pg.Pool;
  readonly schema: string;
  /** Logs waits on locks other sessions hold (a real server; the embedded database has one session). */
  readonly lockWaits?: LockWaitWatch;
}

export type TableName =
  | 'compositions'
  | 'watermarks'
  | 'export_cursors'
  | 'export_runs'
  | 'failed_compositions';

/** Quoted, schema-qualified name of one of Atlas's tables. */
export function tbl(sql: { readonly schema: string }, name: TableName): string {
  return table(sql.schema, name);
}

/**
 * Runs `fn` in one transaction on one pooled connection: COMMIT on success, ROLLBACK and rethrow on any error.
 * A connection whose ROLLBACK failed is discarded instead of returned to the pool.
 */
export async function inTransaction<T>(
  sql: SqlContext,
  fn: (client: pg.PoolClient) => Promise<T>,
  what: Record<string, unknown> = {},
): Promise<T> {
  const client = await sql.pool.connect();
  let broken: Error | undefined;
  try {
    const body = async () => {
      await client.query('BEGIN');
      const result = await fn(client);
      await client.query('COMMIT');
      return result;
    };
    return await (sql.lockWaits ? sql.lockWaits.around(client, what, body) : body());
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = coerceError(rollbackErr);
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
