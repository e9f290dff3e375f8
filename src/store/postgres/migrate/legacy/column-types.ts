import type { LegacyChange } from '../types.js';
import { column, type LegacyCheck, q, seedColumns } from './model.js';

/**
 * Brings column types to the seed's: UUID and VARCHAR ids become TEXT (same characters), json becomes jsonb,
 * integer counts become bigint, timestamps without time zone are read as UTC. A default the seed does not
 * have on an id column (e.g. `gen_random_uuid()`) is dropped first: Atlas always supplies ids.
 */
export const convertTypes: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    for (const spec of seedColumns(table.name)) {
      const col = column(table, spec.name);
      if (!col) continue;
      if (
        col.default !== null &&
        spec.default === undefined &&
        (spec.name === 'id' || col.type !== spec.type)
      ) {
        changes.push({
          check: 'drop-default',
          description: `${table.name}.${spec.name}: drop default ${col.default} (the seed has none; Atlas sets the value)`,
          sql: [`ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} DROP DEFAULT`],
        });
        col.default = null;
      }
      if (col.type === spec.type) continue;
      changes.push({
        check: 'column-type',
        description: `${table.name}.${spec.name}: change type ${col.type} to ${spec.type}${conversionNote(col.type, spec.type)}`,
        sql: [
          `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(col.name)} TYPE ${spec.type} USING ${using(col.name, col.type, spec.type)}`,
        ],
      });
      col.type = spec.type;
    }
  }
  return changes;
};

function using(name: string, from: string, to: string): string {
  if (to === 'timestamp with time zone' && from.startsWith('timestamp without time zone')) {
    return `${q(name)} AT TIME ZONE 'UTC'`;
  }
  return `${q(name)}::${to}`;
}

function conversionNote(from: string, to: string): string {
  if (to === 'timestamp with time zone' && from.startsWith('timestamp without time zone')) {
    return ' (stored values read as UTC)';
  }
  if (to === 'text') return ' (same characters)';
  return '';
}
