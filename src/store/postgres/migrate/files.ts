import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { packageRoot } from '../../../util/package-root.js';

/** A numbered migration shipped in migrations/ (NNN_name.sql). */
export interface MigrationFile {
  version: number;
  /** File name, e.g. `001_initial_schema.sql`. */
  name: string;
  sql: string;
  /** SHA-256 hex of the file with CRLF normalised to LF (a checkout on Windows gives the same checksum). */
  checksum: string;
}

const FILE_PATTERN = /^(\d{3})_([A-Za-z0-9_]+)\.sql$/;

export function migrationsDir(): string {
  return join(packageRoot(), 'migrations');
}

export function checksumOf(sql: string): string {
  return createHash('sha256').update(sql.replace(/\r\n/g, '\n'), 'utf8').digest('hex');
}

/** Every NNN_name.sql file in `dir`, ordered by version; refuses two files with one number. */
export function loadMigrationFiles(dir: string = migrationsDir()): MigrationFile[] {
  const files: MigrationFile[] = [];
  for (const name of readdirSync(dir).sort()) {
    const m = FILE_PATTERN.exec(name);
    if (!m) continue;
    const sql = readFileSync(join(dir, name), 'utf8');
    files.push({ version: Number(m[1]), name, sql, checksum: checksumOf(sql) });
  }
  for (let i = 1; i < files.length; i++) {
    const prev = files[i - 1];
    const cur = files[i];
    if (prev && cur && prev.version === cur.version) {
      throw new Error(`two migrations share number ${cur.version}: ${prev.name} and ${cur.name} (in ${dir})`);
    }
  }
  return files;
}
