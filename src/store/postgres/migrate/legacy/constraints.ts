import { tableSpec } from '../expected-schema.js';
import type { LegacyChange } from '../types.js';
import { type LegacyCheck, type ModelTable, q } from './model.js';

/**
 * The seed's constraints: primary key on id, valid_export_mode, unique_template_ehr. A unique constraint on the
 * same columns under another name is renamed; a missing one is added (after value mapping, so existing rows
 * satisfy it). valid_export_status is left to migration 002, which (re)creates it with 'interrupted'.
 */
export const ensureConstraints: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    const specs = tableSpec(table.name)?.constraints.filter((c) => c.since === 1) ?? [];
    for (const spec of specs) {
      if (spec.kind === 'primary') changes.push(...primaryKey(table, spec.columns));
      else if (spec.name && !table.constraints.some((c) => c.name === spec.name)) {
        const same = table.constraints.find(
          (c) => spec.kind === 'unique' && c.type === 'u' && c.columns.join(',') === spec.columns.join(','),
        );
        if (same) {
          changes.push({
            check: 'rename-constraint',
            description: `${table.name}: rename constraint ${same.name} to ${spec.name} (same columns)`,
            sql: [`ALTER TABLE ${q(table.name)} RENAME CONSTRAINT ${q(same.name)} TO ${q(spec.name)}`],
          });
          same.name = spec.name;
          continue;
        }
        changes.push({
          check: 'add-constraint',
          description: `${table.name}: add constraint ${spec.name} ${spec.definition}`,
          sql: [`ALTER TABLE ${q(table.name)} ADD CONSTRAINT ${q(spec.name)} ${spec.definition}`],
        });
        table.constraints.push({
          name: spec.name,
          type: spec.kind === 'unique' ? 'u' : 'c',
          columns: spec.columns,
          definition: spec.definition,
        });
      }
    }
  }
  return changes;
};

function primaryKey(table: ModelTable, columns: string[]): LegacyChange[] {
  const pk = table.constraints.find((c) => c.type === 'p');
  if (pk && pk.columns.join(',') === columns.join(',')) return [];
  const sql: string[] = [];
  if (pk) sql.push(`ALTER TABLE ${q(table.name)} DROP CONSTRAINT ${q(pk.name)}`);
  sql.push(`ALTER TABLE ${q(table.name)} ADD PRIMARY KEY (${columns.map(q).join(', ')})`);
  table.constraints = table.constraints.filter((c) => c !== pk);
  table.constraints.push({
    name: `${table.name}_pkey`,
    type: 'p',
    columns,
    definition: `PRIMARY KEY (${columns.join(', ')})`,
  });
  return [
    {
      check: 'primary-key',
      description: `${table.name}: primary key on (${columns.join(', ')})${pk ? ` instead of ${pk.name} (${pk.columns.join(', ')})` : ''}`,
      sql,
    },
  ];
}
