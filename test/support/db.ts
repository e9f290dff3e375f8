import { randomBytes } from 'node:crypto';
import pg from 'pg';
import { afterAll, inject } from 'vitest';

export interface TestDatabase {
  /** Connection URL of the fresh database. */
  url: string;
  name: string;
  /** A pool on the database; closed automatically after the file. */
  pool: pg.Pool;
}

function withDatabase(url: string, database: string): string {
  const u = new URL(url);
  u.pathname = `/${database}`;
  return u.toString();
}

async function admin<T>(fn: (c: pg.Client) => Promise<T>): Promise<T> {
  const c = new pg.Client({ connectionString: inject('pgAdminUrl') });
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/**
 * A database of its own for the calling test file, dropped after the file.
 * `migrated: true` (default) clones the run's template database, already at the latest schema;
 * `migrated: false` gives an empty database (for migration and legacy-layout tests).
 */
export async function createTestDatabase(opts: { migrated?: boolean } = {}): Promise<TestDatabase> {
  const name = `atlas_t_${randomBytes(5).toString('hex')}`;
  const template = opts.migrated === false ? 'template0' : inject('pgTemplateDb');
  await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${template}`));
  const url = withDatabase(inject('pgAdminUrl'), name);
  const pool = new pg.Pool({ connectionString: url, max: 20 });
  afterAll(async () => {
    await pool.end();
    await admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`));
  });
  return { url, name, pool };
}

/** Runs SQL as the admin role (e.g. to create roles for privilege tests). */
export function adminQuery(sql: string, params: unknown[] = []): Promise<pg.QueryResult> {
  return admin((c) => c.query(sql, params));
}
