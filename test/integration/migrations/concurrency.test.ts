import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../../src/store/postgres/migrate/files.js';
import { migrate } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';

const files = loadMigrationFiles();

describe('concurrent migrators', async () => {
  const db = await createTestDatabase({ migrated: false });

  it('ten processes migrating one empty database at once apply each migration exactly once', async () => {
    const clients = Array.from({ length: 10 }, () => new pg.Client({ connectionString: db.url }));
    await Promise.all(clients.map((c) => c.connect()));
    try {
      const reports = await Promise.all(clients.map((c) => migrate(c, { schema: 'public' })));
      const working = reports.filter((r) => r.steps.length > 0);
      expect(working).toHaveLength(1);
      expect(working[0]?.steps.filter((s) => s.kind === 'apply')).toHaveLength(files.length);
      expect(reports.filter((r) => r.steps.length === 0)).toHaveLength(9);
    } finally {
      await Promise.all(clients.map((c) => c.end()));
    }
    const ledger = await db.pool.query(
      'SELECT version, count(*)::int AS n FROM atlas_schema_migrations GROUP BY version ORDER BY version',
    );
    expect(ledger.rows).toEqual(files.map((f) => ({ version: f.version, n: 1 })));
    // Scoped to this test's database: other test files on the same server hold advisory locks of their own.
    const locks = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_locks l JOIN pg_database d ON d.oid = l.database
        WHERE l.locktype = 'advisory' AND d.datname = current_database()`,
    );
    expect(locks.rows[0].n).toBe(0);
  });
});
