import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';

/**
 * Brings the run's template database to the latest schema. Interim: applies migrations/*.sql in order.
 * The store issue replaces this with the real migrator (ledger, lock, checksums).
 */
export async function migrateTemplateDatabase(url: string): Promise<void> {
  const dir = join(process.cwd(), 'migrations');
  const files = readdirSync(dir)
    .filter((f) => /^\d{3}_.*\.sql$/.test(f))
    .sort();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    for (const f of files) await c.query(readFileSync(join(dir, f), 'utf8'));
  } finally {
    await c.end();
  }
}
