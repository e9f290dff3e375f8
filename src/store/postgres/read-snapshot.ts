import type pg from 'pg';
import type { SnapshotReader } from '../types.js';
import type { SqlContext } from './sql-context.js';

/**
 * Every value as PostgreSQL's text output: the caller decides how to read it (exact decimals, instants).
 * node-postgres also hands a query's `types` to the Parse message as its parameter types; it reads only
 * `.length` there, but PGlite's adapter calls `.forEach`, and on a plain object that threw inside the driver
 * and left the query pending for ever (`views export` on the embedded database ended silently, exit 0). An
 * empty array carrying the parser serves both: no parameter types, every column as text.
 */
const RAW_TEXT = Object.assign([], {
  getTypeParser: () => (value: string) => value,
}) as unknown as pg.CustomTypesConfig;

/**
 * Runs `fn` in one REPEATABLE READ, READ ONLY transaction on one connection: every query sees the same
 * snapshot (counts, statistics and rows agree even while an export writes), and a cursor declared in it
 * streams rows without holding them all. The session is set to UTC, ISO dates and ISO 8601 intervals so
 * text output does not depend on the server's or the role's settings.
 */
export async function readSnapshot<T>(
  sql: SqlContext,
  fn: (reader: SnapshotReader) => Promise<T>,
): Promise<T> {
  const client = await sql.pool.connect();
  let broken: Error | undefined;
  const reader: SnapshotReader = {
    async rows(text, values = []) {
      const result = await client.query<string[]>({ text, values, rowMode: 'array', types: RAW_TEXT });
      return result.rows as Array<Array<string | null>>;
    },
  };
  try {
    await client.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
    await client.query("SET LOCAL TimeZone = 'UTC'");
    await client.query("SET LOCAL IntervalStyle = 'iso_8601'");
    await client.query("SET LOCAL DateStyle = 'ISO, YMD'");
    await client.query('SET LOCAL extra_float_digits = 3');
    const result = await fn(reader);
    await client.query('COMMIT');
    return result;
  } catch (err) {
    try {
      await client.query('ROLLBACK');
    } catch (rollbackErr) {
      broken = rollbackErr as Error;
    }
    throw err;
  } finally {
    client.release(broken);
  }
}
