import pg from 'pg';
import { migrate } from '../../src/store/postgres/migrate/index.js';

/**
 * Brings the run's template database to the latest schema with Atlas's own migrator (ledger, lock,
 * checksums), so every test database cloned from it is exactly what `atlas migrate` produces.
 */
export async function migrateTemplateDatabase(url: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await migrate(client, { schema: 'public' });
  } finally {
    await client.end();
  }
}
