import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { checksumOf, loadMigrationFiles } from '../../../src/store/postgres/migrate/files.js';

const dirs: string[] = [];
function dirWith(files: Record<string, string>): string {
  const dir = mkdtempSync(join(tmpdir(), 'atlas-mig-unit-'));
  dirs.push(dir);
  for (const [name, text] of Object.entries(files)) writeFileSync(join(dir, name), text);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('migration files', () => {
  it('checksums ignore CRLF line endings but nothing else', () => {
    expect(checksumOf('a\r\nb\r\n')).toBe(checksumOf('a\nb\n'));
    expect(checksumOf('a\nb\n')).not.toBe(checksumOf('a\nb \n'));
    expect(checksumOf('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });

  it('picks up every NNN_name.sql in number order and ignores other files', () => {
    const dir = dirWith({
      '010_later.sql': 'SELECT 10;',
      '002_b.sql': 'SELECT 2;',
      'README.md': '#',
      '3_bad_name.sql': 'SELECT 3;',
      '001_a.sql.bak': 'x',
    });
    expect(loadMigrationFiles(dir).map((f) => [f.version, f.name])).toEqual([
      [2, '002_b.sql'],
      [10, '010_later.sql'],
    ]);
  });

  it('refuses two files with the same number', () => {
    const dir = dirWith({ '004_views.sql': 'SELECT 1;', '004_pseudonyms.sql': 'SELECT 2;' });
    expect(() => loadMigrationFiles(dir)).toThrow(
      /two migrations share number 4: 004_pseudonyms\.sql and 004_views\.sql/,
    );
  });

  it('the shipped folder starts with the seed schema, the interrupted status and the export-engine tables', () => {
    const names = loadMigrationFiles().map((f) => f.name);
    expect(names.slice(0, 3)).toEqual([
      '001_initial_schema.sql',
      '002_watermark_interrupted_status.sql',
      '003_export_engine.sql',
    ]);
  });
});
