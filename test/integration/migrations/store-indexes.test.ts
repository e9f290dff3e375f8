import { describe, expect, it } from 'vitest';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';
import { withClient } from './schema-snapshot.js';

/** Migration 006: (template_id, id) serves the store's keyset paging of one template (listStored). */
describe('006_store_indexes', () => {
  it('the migrated schema has the index, and the listStored page query is an index range scan on it', async () => {
    const db = await createTestDatabase();
    const idx = await db.pool.query(
      "SELECT indexdef FROM pg_indexes WHERE schemaname = 'public' AND indexname = 'idx_compositions_template_id_id'",
    );
    expect(idx.rows[0]?.indexdef).toMatch(/ON public\.compositions USING btree \(template_id, id\)$/);
    const plan = await withClient(db.pool, async (c) => {
      // Tiny test tables would be read sequentially; the question is which index serves the query.
      await c.query('SET enable_seqscan = off');
      const r = await c.query<{ 'QUERY PLAN': string }>(
        `EXPLAIN SELECT id, ehr_id, composition_uid, checksum, deleted_at IS NOT NULL AS deleted
           FROM compositions WHERE template_id = $1 AND id > $2 ORDER BY id LIMIT 1000`,
        ['vital_signs.v1', ''],
      );
      await c.query('RESET enable_seqscan');
      return r.rows.map((row) => row['QUERY PLAN']).join('\n');
    });
    expect(plan).toMatch(/Index Scan using idx_compositions_template_id_id on compositions/);
    expect(plan).not.toMatch(/Sort/);
  });

  it('an existing database at 004 gets it by `migrate`, recorded in the ledger; status is then up to date', async () => {
    const db = await createTestDatabase();
    await db.pool.query('DROP INDEX idx_compositions_template_id_id');
    await db.pool.query('DELETE FROM atlas_schema_migrations WHERE version = 6');
    const pending = await migrationStatus(db.pool, { schema: 'public' });
    expect(pending.state).toBe('pending');
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.steps.map((s) => s.file)).toEqual(['006_store_indexes.sql']);
    const ledger = await db.pool.query('SELECT name FROM atlas_schema_migrations WHERE version = 6');
    expect(ledger.rows[0]?.name).toBe('006_store_indexes.sql');
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
  });

  it('a dropped index is reported as missing by `atlas migrate status`', async () => {
    const db = await createTestDatabase();
    await db.pool.query('DROP INDEX idx_compositions_template_id_id');
    const status = await migrationStatus(db.pool, { schema: 'public' });
    const compositions = status.tables.find((t) => t.name === 'compositions');
    expect(compositions?.indexes.find((i) => i.name === 'idx_compositions_template_id_id')?.status).toBe(
      'missing',
    );
  });
});
