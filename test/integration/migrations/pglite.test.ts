import { PGlite } from '@electric-sql/pglite';
import { createPgConfig } from '@electric-sql/pglite/node-postgres';
import pg from 'pg';
import { afterAll, describe, expect, it } from 'vitest';
import { loadMigrationFiles } from '../../../src/store/postgres/migrate/files.js';
import { migrate, migrationStatus } from '../../../src/store/postgres/migrate/index.js';
import { flatContent, insertRows, uuid } from './legacy-fixtures.js';

/** The embedded store drives PGlite through node-postgres with one connection: the migrator must work there. */
describe('the same migrator on the embedded database (PGlite, one connection)', async () => {
  const db = await PGlite.create();
  const pool = new pg.Pool({ ...createPgConfig(db), max: 1, idleTimeoutMillis: 0 });
  afterAll(async () => {
    await pool.end();
    await db.close();
  });

  it('migrates an empty database, then has nothing left to do', async () => {
    const report = await migrate(pool, { schema: 'public' });
    expect(report.steps.filter((s) => s.kind === 'apply').map((s) => s.file)).toEqual(
      loadMigrationFiles().map((f) => f.name),
    );
    expect((await migrate(pool, { schema: 'public' })).steps).toEqual([]);
    const status = await migrationStatus(pool, { schema: 'public' });
    expect(status.state).toBe('up-to-date');
    for (const t of status.tables)
      expect([...t.columns, ...t.constraints, ...t.indexes].filter((x) => x.status !== 'ok')).toEqual([]);
  });

  it('upgrades a one-row-per-version layout in a second schema', async () => {
    await pool.query('CREATE SCHEMA old_layout');
    const file = loadMigrationFiles().find((f) => f.version === 1);
    await pool.query(`SET search_path TO old_layout; ${file?.sql ?? ''}; SET search_path TO public`);
    const rows = [1, 2, 3].map((v) => ({
      id: `${uuid(9, 1)}::sys::${v}`,
      ehr_id: 'e',
      composition_uid: `${uuid(9, 1)}::sys::${v}`,
      template_id: 'Corona_Anamnese',
      time_committed: `2024-01-0${v}T00:00:00Z`,
      content: JSON.stringify(flatContent('Corona_Anamnese', v)),
      export_mode: 'preserve',
      atlas_version: '2.4.0',
    }));
    await insertRows(pool, 'old_layout.compositions', rows);
    await migrate(pool, { schema: 'old_layout' });
    const kept = await pool.query('SELECT id, composition_uid FROM old_layout.compositions');
    expect(kept.rows).toEqual([{ id: uuid(9, 1), composition_uid: `${uuid(9, 1)}::sys::3` }]);
    const moved = await pool.query('SELECT id FROM old_layout.compositions_legacy_versions ORDER BY id');
    expect(moved.rows.map((r) => r.id)).toEqual([`${uuid(9, 1)}::sys::1`, `${uuid(9, 1)}::sys::2`]);
  });
});
