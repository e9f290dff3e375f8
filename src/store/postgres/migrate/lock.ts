import { createHash } from 'node:crypto';
import type pg from 'pg';
import type { Logger } from '../../../context.js';

/**
 * Advisory-lock key of the migrator for one schema: the first 8 bytes of SHA-256("atlas:migrate:<schema>")
 * as a signed bigint. Derived from the schema name so two Atlas installations in different schemas of one
 * database migrate independently, and salted so it does not collide with other advisory-lock users.
 */
export function migrationLockKey(schema: string): string {
  const digest = createHash('sha256').update(`atlas:migrate:${schema}`, 'utf8').digest();
  return digest.readBigInt64BE(0).toString();
}

/**
 * Runs `fn` holding the session-level advisory lock on the (dedicated) client, so concurrent Atlas processes
 * never migrate at the same time: the second one waits, then finds nothing left to do. The lock is released
 * in `finally`, and by PostgreSQL itself if the process dies.
 */
export async function withMigrationLock<T>(
  client: pg.ClientBase,
  schema: string,
  logger: Logger | undefined,
  fn: () => Promise<T>,
): Promise<T> {
  const key = migrationLockKey(schema);
  const tried = await client.query<{ locked: boolean }>('SELECT pg_try_advisory_lock($1::bigint) AS locked', [
    key,
  ]);
  if (tried.rows[0]?.locked !== true) {
    logger?.info({ schema }, 'another Atlas process is migrating this schema; waiting for it to finish');
    // The wait may outlast the pool's statement_timeout (a large legacy upgrade) and a lock_timeout set on the
    // role or server (an advisory lock wait is a lock wait): lift both for this statement only. The lock is
    // session-level, so it outlives the transaction that took it.
    await client.query('BEGIN');
    try {
      await client.query('SET LOCAL statement_timeout = 0');
      await client.query('SET LOCAL lock_timeout = 0');
      await client.query('SELECT pg_advisory_lock($1::bigint)', [key]);
      await client.query('COMMIT');
    } catch (err) {
      await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
  }
  try {
    return await fn();
  } finally {
    await client.query('SELECT pg_advisory_unlock($1::bigint)', [key]);
  }
}
