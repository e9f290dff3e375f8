import { describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';

describe('custom schema', async () => {
  const db = await createTestDatabase({ migrated: false });

  it('creates the schema, puts every table and the ledger in it, nothing in public', async () => {
    const report = await migrate(db.pool, { schema: 'Atlas Data' });
    expect(report.steps[0]?.kind).toBe('create-schema');
    const tables = await db.pool.query(
      `SELECT schemaname, tablename FROM pg_tables WHERE schemaname IN ('public', 'Atlas Data') ORDER BY 1, 2`,
    );
    expect(tables.rows.every((r) => r.schemaname === 'Atlas Data')).toBe(true);
    expect(tables.rows.map((r) => r.tablename)).toEqual(
      expect.arrayContaining(['atlas_schema_migrations', 'compositions', 'watermarks', 'export_runs']),
    );
    const status = await migrationStatus(db.pool, { schema: 'Atlas Data' });
    expect(status.state).toBe('up-to-date');
  });

  it('a second schema in the same database migrates independently', async () => {
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.steps.filter((s) => s.kind === 'apply').length).toBeGreaterThanOrEqual(3);
    expect((await migrate(db.pool, { schema: 'Atlas Data' })).steps).toEqual([]);
  });
});

describe('pre-flight schema check', async () => {
  const db = await createTestDatabase();

  it('a column dropped by hand is named, with the statement that restores it, instead of "column does not exist" later', async () => {
    await db.pool.query('ALTER TABLE compositions DROP COLUMN checksum');
    await db.pool.query('ALTER TABLE watermarks ADD COLUMN note_by_hand text NOT NULL');
    const err = await migrate(db.pool, { schema: 'public' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain('column compositions.checksum is missing (expected text)');
    expect(msg).toContain('ALTER TABLE "public"."compositions" ADD COLUMN "checksum" text;');
    expect(msg).toContain("column watermarks.note_by_hand (not Atlas's) is NOT NULL without a default");
    expect(msg).not.toMatch(/does not exist/);
  });

  it('a watermark CHECK constraint replaced by the pre-002 one is reported before a write could fail', async () => {
    await db.pool.query('ALTER TABLE compositions ADD COLUMN checksum text');
    await db.pool.query('ALTER TABLE watermarks DROP COLUMN note_by_hand');
    await db.pool.query('ALTER TABLE watermarks DROP CONSTRAINT valid_export_status');
    await db.pool.query(
      `ALTER TABLE watermarks ADD CONSTRAINT valid_export_status CHECK (last_export_status IN ('in_progress', 'completed', 'failed', 'not_started'))`,
    );
    const err = await migrate(db.pool, { schema: 'public' }).catch((e: unknown) => e);
    expect((err as Error).message).toContain('constraint watermarks.valid_export_status is different');
  });
});
