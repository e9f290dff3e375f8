import { randomBytes } from 'node:crypto';
import { cpSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { SchemaError } from '../../../src/errors.js';
import { migrationsDir } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { adminQuery, createTestDatabase, type TestDatabase } from '../../support/db.js';

/** A login role that owns nothing (roles are cluster-wide: unique name, dropped after the file). */
async function createRole(db: TestDatabase): Promise<{ name: string; pool: pg.Pool }> {
  const name = `atlas_r_${randomBytes(4).toString('hex')}`;
  await adminQuery(`CREATE ROLE ${name} LOGIN PASSWORD 'pw'`);
  const u = new URL(db.url);
  u.username = name;
  u.password = 'pw';
  const pool = new pg.Pool({ connectionString: u.toString(), max: 2 });
  afterAll(async () => {
    await pool.end();
    await db.pool.query(`REASSIGN OWNED BY ${name} TO current_user`);
    await db.pool.query(`DROP OWNED BY ${name}`);
    await adminQuery(`DROP ROLE IF EXISTS ${name}`);
  });
  return { name, pool };
}

/** Runs the statements Atlas printed, as the administrator. */
async function runAsAdmin(db: TestDatabase, message: string): Promise<number> {
  const statements = message
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => /^(GRANT|ALTER TABLE|CREATE SCHEMA)\b/.test(l));
  for (const s of statements) await db.pool.query(s);
  return statements.length;
}

describe('privileges', async () => {
  it('a role without table privileges gets the exact GRANT statements, and they are enough', async () => {
    const db = await createTestDatabase();
    const role = await createRole(db);
    const err = await migrate(role.pool, { schema: 'public' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain(`as role "${role.name}"`);
    expect(msg).toContain(`lacks SELECT, INSERT, UPDATE, DELETE on table public.compositions`);
    expect(msg).toMatch(
      new RegExp(`GRANT SELECT, INSERT, UPDATE, DELETE ON .*"public"\\."compositions".* TO "${role.name}";`),
    );
    expect(msg).toContain(`GRANT USAGE, SELECT ON SEQUENCE "public"."export_runs_id_seq" TO "${role.name}";`);
    expect(msg).toContain(`GRANT SELECT ON "public"."atlas_schema_migrations" TO "${role.name}";`);
    const status = await migrationStatus(role.pool, { schema: 'public' });
    expect(status.state).toBe('no-access');
    expect(status.privileges.fixSql.join('\n')).toContain(
      `GRANT SELECT ON "public"."atlas_schema_migrations"`,
    );
    expect(await runAsAdmin(db, msg)).toBeGreaterThanOrEqual(2);
    const report = await migrate(role.pool, { schema: 'public' });
    expect(report.steps).toEqual([]);
    await role.pool.query(
      `INSERT INTO export_runs (mode, template_ids, atlas_version) VALUES ('full', '{}', 'x')`,
    );
  });

  it('a pending migration on tables the role does not own names ALTER TABLE … OWNER TO before executing anything', async () => {
    const db = await createTestDatabase();
    const role = await createRole(db);
    await db.pool.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role.name}`,
    );
    await db.pool.query('DELETE FROM atlas_schema_migrations WHERE version = 3');
    const err = await migrate(role.pool, { schema: 'public' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain('table public.compositions is owned by');
    expect(msg).toContain(`ALTER TABLE "public"."compositions" OWNER TO "${role.name}";`);
    expect(msg).toContain(`ALTER TABLE "public"."watermarks" OWNER TO "${role.name}";`);
    expect(msg).toContain(`GRANT USAGE, CREATE ON SCHEMA "public" TO "${role.name}";`);
    expect(msg).not.toContain('must be owner');
    await runAsAdmin(db, msg);
    const report = await migrate(role.pool, { schema: 'public' });
    expect(report.steps.map((s) => s.version)).toEqual([3]);
  });

  it('"must be owner" raised by PostgreSQL during a migration is answered with the owning table', async () => {
    const db = await createTestDatabase();
    const role = await createRole(db);
    await db.pool.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA public TO ${role.name}`,
    );
    const dir = mkdtempSync(join(tmpdir(), 'atlas-migrations-'));
    afterAll(() => rmSync(dir, { recursive: true, force: true }));
    cpSync(migrationsDir(), dir, { recursive: true });
    writeFileSync(
      join(dir, '950_rename_index.sql'),
      'BEGIN;\nALTER INDEX idx_compositions_ehr_id RENAME TO idx_compositions_by_ehr;\nCOMMIT;\n',
    );
    const err = await migrate(role.pool, { schema: 'public', migrationsDir: dir }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(SchemaError);
    const msg = (err as Error).message;
    expect(msg).toContain('950_rename_index.sql line 2: must be owner of index idx_compositions_ehr_id');
    expect(msg).toContain(`ALTER TABLE "public"."compositions" OWNER TO "${role.name}";`);
  });
});
