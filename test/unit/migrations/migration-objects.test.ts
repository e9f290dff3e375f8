import { describe, expect, it } from 'vitest';
import { checksumOf, loadMigrationFiles } from '../../../src/store/postgres/migrate/files.js';
import { migrationObjects } from '../../../src/store/postgres/migrate/migration-objects.js';

const file = (version: number, sql: string) => ({
  version,
  name: `${version}.sql`,
  sql,
  checksum: checksumOf(sql),
});

describe('migrationObjects', () => {
  it('finds the tables and added columns of the shipped migrations', () => {
    const o = migrationObjects(loadMigrationFiles());
    expect(o.tables.get('compositions')).toBe(1);
    expect(o.tables.get('watermarks')).toBe(1);
    expect(o.tables.get('export_runs')).toBe(3);
    expect(o.addedColumns).toEqual(
      expect.arrayContaining([
        { table: 'compositions', column: 'deleted_at', version: 3 },
        { table: 'watermarks', column: 'last_run_id', version: 3 },
      ]),
    );
  });

  it('reads quoted names and ignores commented-out statements', () => {
    const o = migrationObjects([
      file(
        7,
        '-- CREATE TABLE ghost (x int);\n/* ALTER TABLE compositions ADD COLUMN ghost int; */\n' +
          'CREATE TABLE IF NOT EXISTS "pseudonyms" (x int);\nALTER TABLE ONLY "compositions" ADD COLUMN IF NOT EXISTS "pseudo" text;',
      ),
    ]);
    expect([...o.tables.keys()]).toEqual(['pseudonyms']);
    expect(o.addedColumns).toEqual([{ table: 'compositions', column: 'pseudo', version: 7 }]);
  });
});
