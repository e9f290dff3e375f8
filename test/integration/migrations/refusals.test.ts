import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { ATLAS_VERSION } from '../../../src/version.js';
import { createTestDatabase } from '../../support/db.js';

/** A private copy of the shipped migrations the test may change. */
function copyOfMigrations(): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-migrations-'));
  cpSync(migrationsDir(), dir, { recursive: true });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('refusals', async () => {
  it('an applied migration whose file changed is refused with the file name and the way out', async () => {
    const db = await createTestDatabase({ migrated: false });
    const dir = copyOfMigrations();
    await migrate(db.pool, { schema: 'public', migrationsDir: dir });
    const file = join(dir, '002_watermark_interrupted_status.sql');
    writeFileSync(file, `${readFileSync(file, 'utf8')}\n-- edited after release\n`);
    const err = await migrate(db.pool, { schema: 'public', migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    expect((err as Error).message).toMatch(/002_watermark_interrupted_status\.sql: applied on .* by Atlas/);
    expect((err as Error).message).toMatch(
      /UPDATE "public"\."atlas_schema_migrations" SET checksum = '[0-9a-f]{64}' WHERE version = 2;/,
    );
    const status = await migrationStatus(db.pool, { schema: 'public', migrationsDir: dir });
    expect(status.state).toBe('drift');
    expect(status.applied.find((a) => a.version === 2)?.checksumMatches).toBe(false);
  });

  it('a CRLF checkout of the same files is not drift', async () => {
    const db = await createTestDatabase({ migrated: false });
    const dir = copyOfMigrations();
    await migrate(db.pool, { schema: 'public', migrationsDir: dir });
    const file = join(dir, '001_initial_schema.sql');
    writeFileSync(file, readFileSync(file, 'utf8').replace(/\n/g, '\r\n'));
    const report = await migrate(db.pool, { schema: 'public', migrationsDir: dir });
    expect(report.steps).toEqual([]);
  });

  it('a database migrated by a newer Atlas is refused, naming that version', async () => {
    const db = await createTestDatabase();
    await db.pool.query(
      `INSERT INTO atlas_schema_migrations (version, name, checksum, atlas_version, duration_ms, adopted)
       VALUES (999, '999_future_feature.sql', 'abc', '9.1.0', 5, false)`,
    );
    const err = await migrate(db.pool, { schema: 'public' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain('999_future_feature.sql');
    expect(msg).toContain('applied by Atlas 9.1.0');
    expect(msg).toContain(`this is Atlas ${ATLAS_VERSION}`);
    expect(msg).toContain('use Atlas 9.1.0 or later');
    const status = await migrationStatus(db.pool, { schema: 'public' });
    expect(status.state).toBe('newer');
    expect(status.unknown.map((u) => u.version)).toEqual([999]);
  });

  it('a failing migration is rolled back and the error names the file, line and statement', async () => {
    const db = await createTestDatabase();
    const dir = copyOfMigrations();
    writeFileSync(
      join(dir, '900_broken.sql'),
      [
        '-- a migration that fails half-way',
        'BEGIN;',
        'CREATE TABLE half_done (id int);',
        'INSERT INTO half_done VALUES (1);',
        '',
        'ALTER TABLE compositions',
        '  ADD COLUMN broken_ref INTEGER REFERENCES no_such_table (id);',
        'COMMIT;',
        '',
      ].join('\n'),
    );
    const err = await migrate(db.pool, { schema: 'public', migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain('migration 900_broken.sql failed at 900_broken.sql line 6');
    expect(msg).toContain('relation "no_such_table" does not exist');
    expect(msg).toContain(
      'statement: ALTER TABLE compositions ADD COLUMN broken_ref INTEGER REFERENCES no_such_table (id)',
    );
    expect(msg).toContain('rolled back');
    const left = await db.pool.query(`SELECT to_regclass('public.half_done') AS t`);
    expect(left.rows[0].t).toBeNull();
    const ledger = await db.pool.query(
      'SELECT count(*)::int AS n FROM atlas_schema_migrations WHERE version = 900',
    );
    expect(ledger.rows[0].n).toBe(0);
  });

  it('a syntax error is located on its own line inside a multi-line statement', async () => {
    const db = await createTestDatabase();
    const dir = copyOfMigrations();
    writeFileSync(
      join(dir, '901_typo.sql'),
      'BEGIN;\nCREATE TABLE typo (\n  id int,\n  name txet\n);\nCOMMIT;\n',
    );
    const err = await migrate(db.pool, { schema: 'public', migrationsDir: dir }).catch((e: unknown) => e);
    expect((err as Error).message).toMatch(/901_typo\.sql line 4: type "txet" does not exist/);
  });
});
