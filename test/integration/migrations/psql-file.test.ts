import { execFileSync, spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { loadMigrationFiles, migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { createTestDatabase } from '../../support/db.js';
import { schemaSnapshot, withClient } from './schema-snapshot.js';

const files = loadMigrationFiles();
const hasPsql = spawnSync('psql', ['--version']).status === 0;
const how = hasPsql ? 'psql -f' : 'the file sent as one script through pg (psql is not installed here)';

/** Runs a migration file the way a user would by hand. */
async function runFileByHand(url: string, name: string): Promise<void> {
  const path = join(migrationsDir(), name);
  if (hasPsql) {
    execFileSync('psql', [url, '-X', '-q', '-v', 'ON_ERROR_STOP=1', '-f', path], { stdio: 'pipe' });
    return;
  }
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(readFileSync(path, 'utf8'));
  } finally {
    await c.end();
  }
}

describe(`migration files run by hand (${how})`, async () => {
  const byHand = await createTestDatabase({ migrated: false });
  const byMigrator = await createTestDatabase({ migrated: false });

  it(`001_initial_schema.sql runs twice with ${how} without error`, async () => {
    await runFileByHand(byHand.url, '001_initial_schema.sql');
    await runFileByHand(byHand.url, '001_initial_schema.sql');
    const t = await byHand.pool.query(
      `SELECT tablename FROM pg_tables WHERE schemaname = 'public' ORDER BY 1`,
    );
    expect(t.rows.map((r) => r.tablename)).toEqual(['compositions', 'watermarks']);
  });

  it('every file applied by hand gives the same tables, columns, constraints and indexes as the migrator', async () => {
    for (const f of files) {
      await runFileByHand(byHand.url, f.name);
      await runFileByHand(byHand.url, f.name);
    }
    await migrate(byMigrator.pool, { schema: 'public' });
    const hand = await withClient(byHand.pool, (c) => schemaSnapshot(c));
    const tool = await withClient(byMigrator.pool, (c) => schemaSnapshot(c));
    expect(Object.keys(hand)).toContain('compositions');
    expect(hand).toEqual(tool);
  });

  it('a database where every file was run by hand is adopted; the later files re-run harmlessly', async () => {
    const report = await migrate(byHand.pool, { schema: 'public' });
    expect(report.steps.map((s) => s.kind)).toEqual([
      'create-ledger',
      'adopt',
      ...files.slice(1).map(() => 'apply'),
    ]);
    const status = await migrationStatus(byHand.pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    expect(await withClient(byHand.pool, (c) => schemaSnapshot(c))).toEqual(
      await withClient(byMigrator.pool, (c) => schemaSnapshot(c)),
    );
  });
});

describe('a database where 001 was applied by hand is adopted, never recreated', async () => {
  const db = await createTestDatabase({ migrated: false });

  it('records 001 as adopted, keeps the tables and rows, and applies the rest', async () => {
    await runFileByHand(db.url, '001_initial_schema.sql');
    await db.pool.query(
      `INSERT INTO compositions (id, ehr_id, composition_uid, template_id, time_committed, content, export_mode, atlas_version)
       VALUES ('8b1c5c5e-0b8a-4b8e-9b9e-2f1f2f7a1a01', 'ehr-1', '8b1c5c5e-0b8a-4b8e-9b9e-2f1f2f7a1a01::sys::1', 'T', '2024-01-02T03:04:05Z',
               '{"bericht/context/start_time": "2024-01-02T03:04:05Z"}', 'preserve', 'manual')`,
    );
    const oidBefore = await db.pool.query(`SELECT 'compositions'::regclass::oid AS oid`);
    const report = await migrate(db.pool, { schema: 'public' });
    expect(report.steps.map((s) => [s.kind, s.version ?? null])).toEqual([
      ['create-ledger', null],
      ['adopt', 1],
      ...files.filter((f) => f.version > 1).map((f) => ['apply', f.version]),
    ]);
    const adopt = report.steps.find((s) => s.kind === 'adopt');
    expect(adopt?.sql.some((s) => /CREATE TABLE|DROP/i.test(s))).toBe(false);
    const oidAfter = await db.pool.query(`SELECT 'compositions'::regclass::oid AS oid`);
    expect(oidAfter.rows[0].oid).toBe(oidBefore.rows[0].oid);
    const row = await db.pool.query('SELECT id, atlas_version, content FROM compositions');
    expect(row.rows).toEqual([
      {
        id: '8b1c5c5e-0b8a-4b8e-9b9e-2f1f2f7a1a01',
        atlas_version: 'manual',
        content: { 'bericht/context/start_time': '2024-01-02T03:04:05Z' },
      },
    ]);
    const ledger = await db.pool.query(
      'SELECT version, adopted, checksum, note FROM atlas_schema_migrations ORDER BY version',
    );
    expect(ledger.rows[0]).toMatchObject({ version: 1, adopted: true, checksum: files[0]?.checksum });
    expect(ledger.rows[0].note).toMatch(/adopted without changes/);
    expect(ledger.rows.slice(1).every((r) => r.adopted === false)).toBe(true);
  });
});
