import type { LegacyChange } from '../types.js';
import { column, type LegacyCheck, type ModelTable, q, seedColumns } from './model.js';

/**
 * Column names earlier Atlas layouts used for what the seed schema calls otherwise. The documented manual
 * schema of the original (its docs/postgresql-setup.md) had `export_status`, `last_composition_id`,
 * `last_time_committed` and `last_export_time`; the others are spellings seen in hand-made variants.
 */
export const COLUMN_ALIASES: Record<string, Record<string, string[]>> = {
  compositions: {
    composition_uid: ['version_uid', 'uid'],
    time_committed: ['committed_at', 'commit_time'],
  },
  watermarks: {
    last_export_status: ['export_status', 'status'],
    last_exported_composition_uid: [
      'last_composition_id',
      'last_composition_uid',
      'last_exported_composition_id',
    ],
    last_exported_timestamp: ['last_time_committed', 'last_exported_time', 'last_exported_at'],
    last_export_started_at: ['last_export_time', 'last_export_started', 'export_started_at'],
    last_export_completed_at: ['last_export_completed', 'export_completed_at'],
    compositions_exported_count: ['compositions_count', 'exported_count', 'composition_count'],
  },
};

/** Renames a known older column name to the seed's (RENAME keeps every value; indexes and checks follow). */
export const renameColumns: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    const aliases = COLUMN_ALIASES[table.name] ?? {};
    for (const spec of seedColumns(table.name)) {
      if (column(table, spec.name)) continue;
      const from = (aliases[spec.name] ?? []).map((a) => column(table, a)).find((c) => c !== undefined);
      if (!from) continue;
      changes.push({
        check: 'rename-column',
        description: `${table.name}: rename column ${from.name} to ${spec.name} (values kept as they are)`,
        sql: [`ALTER TABLE ${q(table.name)} RENAME COLUMN ${q(from.name)} TO ${q(spec.name)}`],
      });
      renameInModel(table, from.name, spec.name);
    }
  }
  return changes;
};

function renameInModel(table: ModelTable, from: string, to: string): void {
  const col = column(table, from);
  if (col) col.name = to;
  const word = new RegExp(`\\b${from}\\b`, 'g');
  for (const i of table.indexes) i.shape = i.shape.replace(word, to);
  for (const c of table.constraints) {
    c.columns = c.columns.map((n) => (n === from ? to : n));
    c.definition = c.definition.replace(word, to);
  }
}
