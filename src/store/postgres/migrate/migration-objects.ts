import type { MigrationFile } from './files.js';

/**
 * Tables and columns the migration files create, read from their SQL. Covers migrations whose tables are
 * not described in expected-schema.ts (004, 005, later ones): their tables count as Atlas's for privilege
 * checks and presence, and columns they add to existing tables are never mistaken for legacy columns.
 */
export interface MigrationObjects {
  tables: Map<string, number>;
  addedColumns: Array<{ table: string; column: string; version: number }>;
}

const CREATE_TABLE = /create\s+table\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z_][A-Za-z0-9_]*)\1/gi;
const ALTER_ADD =
  /alter\s+table\s+(?:if\s+exists\s+)?(?:only\s+)?("?)([A-Za-z_][A-Za-z0-9_]*)\1\s+add\s+column\s+(?:if\s+not\s+exists\s+)?("?)([A-Za-z_][A-Za-z0-9_]*)\3/gi;

export function migrationObjects(files: readonly MigrationFile[]): MigrationObjects {
  const tables = new Map<string, number>();
  const addedColumns: MigrationObjects['addedColumns'] = [];
  for (const f of files) {
    const sql = stripComments(f.sql);
    for (const m of sql.matchAll(CREATE_TABLE)) {
      const name = m[2]?.toLowerCase();
      if (name && !tables.has(name)) tables.set(name, f.version);
    }
    for (const m of sql.matchAll(ALTER_ADD)) {
      const table = m[2]?.toLowerCase();
      const column = m[4]?.toLowerCase();
      if (table && column) addedColumns.push({ table, column, version: f.version });
    }
  }
  return { tables, addedColumns };
}

function stripComments(sql: string): string {
  return sql.replace(/--[^\n]*/g, '').replace(/\/\*[\s\S]*?\*\//g, '');
}
