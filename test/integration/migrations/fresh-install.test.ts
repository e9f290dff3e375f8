import { describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { ATLAS_VERSION } from '../../../src/version.js';
import { createTestDatabase } from '../../support/db.js';

const files = loadMigrationFiles();

describe('fresh install', async () => {
  const db = await createTestDatabase({ migrated: false });

  it('dry run on an empty database lists the SQL and executes nothing', async () => {
    const report = await migrate(db.pool, { schema: 'public', dryRun: true });
    expect(report.dryRun).toBe(true);
    expect(report.steps.map((s) => s.kind)).toEqual(['create-ledger', ...files.map(() => 'apply')]);
    const sql = report.steps.flatMap((s) => s.sql).join(';\n');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS compositions');
    expect(sql).toContain('CREATE TABLE IF NOT EXISTS export_runs');
    expect(report.steps.every((s) => s.durationMs === undefined)).toBe(true);
    const tables = await db.pool.query(
      `SELECT count(*)::int AS n FROM pg_tables WHERE schemaname = 'public'`,
    );
    expect(tables.rows[0].n).toBe(0);
  });

  it('applies every migration file in order, each recorded in the ledger', async () => {
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.fromVersion).toBe(0);
    expect(report.steps.filter((s) => s.kind === 'apply').map((s) => s.file)).toEqual(
      files.map((f) => f.name),
    );
    const ledger = await db.pool.query(
      'SELECT version, name, checksum, atlas_version, duration_ms, adopted, note, applied_at FROM atlas_schema_migrations ORDER BY version',
    );
    expect(
      ledger.rows.map((r) => [r.version, r.name, r.checksum, r.atlas_version, r.adopted, r.note]),
    ).toEqual(files.map((f) => [f.version, f.name, f.checksum, ATLAS_VERSION, false, null]));
    for (const r of ledger.rows) {
      expect(r.duration_ms).toBeGreaterThanOrEqual(0);
      expect(r.applied_at).toBeInstanceOf(Date);
    }
  });

  it('creates the seed tables, columns, constraints and indexes exactly', async () => {
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    expect(status.pending).toEqual([]);
    const core = status.tables.filter((t) => !t.presenceOnly);
    expect(core.map((t) => t.name)).toEqual([
      'compositions',
      'watermarks',
      'export_cursors',
      'export_runs',
      'failed_compositions',
    ]);
    for (const t of status.tables) {
      expect(t.exists).toBe(true);
      expect([...t.columns, ...t.constraints, ...t.indexes].filter((x) => x.status !== 'ok')).toEqual([]);
    }
    const cons = await db.pool.query(
      `SELECT conname FROM pg_constraint WHERE conname IN ('valid_export_mode', 'valid_export_status', 'unique_template_ehr') ORDER BY 1`,
    );
    expect(cons.rows.map((r) => r.conname)).toEqual([
      'unique_template_ehr',
      'valid_export_mode',
      'valid_export_status',
    ]);
    const gin = await db.pool.query(
      `SELECT indexdef FROM pg_indexes WHERE indexname = 'idx_compositions_content'`,
    );
    expect(gin.rows[0].indexdef).toContain('USING gin (content)');
    const comment = await db.pool.query(`SELECT obj_description('compositions'::regclass, 'pg_class') AS c`);
    expect(comment.rows[0].c).toMatch(/openEHR compositions/);
  });

  it('accepts the interrupted watermark status (002) and the export-engine tables (003)', async () => {
    await db.pool.query(
      `INSERT INTO watermarks (id, template_id, ehr_id, last_exported_timestamp, last_export_started_at, last_export_status)
       VALUES ('t::e', 't', 'e', now(), now(), 'interrupted')`,
    );
    const run = await db.pool.query(
      `INSERT INTO export_runs (mode, template_ids, atlas_version) VALUES ('full', ARRAY['t'], 'x') RETURNING id, status`,
    );
    expect(run.rows[0].status).toBe('running');
    await expect(
      db.pool.query(
        `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version)
         VALUES ('a', 'e', 'a::s::1', 't', now(), '{}', 'full', 'x')`,
      ),
    ).rejects.toThrow(/valid_export_mode/);
  });

  it('is idempotent: a second run does nothing and leaves the ledger as it was', async () => {
    const before = await db.pool.query('SELECT * FROM atlas_schema_migrations ORDER BY version');
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.steps).toEqual([]);
    expect(report.fromVersion).toBe(files.at(-1)?.version);
    const after = await db.pool.query('SELECT * FROM atlas_schema_migrations ORDER BY version');
    expect(after.rows).toEqual(before.rows);
  });
});
