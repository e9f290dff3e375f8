import type pg from 'pg';
import { readCatalog } from '../../../src/store/postgres/migrate/catalog.js';

/** Tables, columns, constraints and indexes of a schema as comparable plain data (ledger excluded). */
export async function schemaSnapshot(
  client: pg.ClientBase,
  schema = 'public',
): Promise<Record<string, unknown>> {
  const catalog = await readCatalog(client, schema);
  const out: Record<string, unknown> = {};
  for (const [name, t] of [...catalog.tables].sort(([a], [b]) => a.localeCompare(b))) {
    if (name === 'atlas_schema_migrations') continue;
    out[name] = {
      columns: t.columns.map(
        (c) =>
          `${c.name} ${c.type}${c.notNull ? ' NOT NULL' : ''}${c.default ? ` DEFAULT ${c.default}` : ''}`,
      ),
      constraints: t.constraints.map((c) => `${c.name} ${c.definition}`).sort(),
      indexes: t.indexes.map((i) => `${i.name} ${i.shape}`).sort(),
    };
  }
  return out;
}

/** Runs fn on a client of the pool and releases it. */
export async function withClient<T>(pool: pg.Pool, fn: (c: pg.PoolClient) => Promise<T>): Promise<T> {
  const c = await pool.connect();
  try {
    return await fn(c);
  } finally {
    c.release();
  }
}
