import type { LegacyChange } from '../types.js';
import { DERIVE_RULES, fillRule } from './fill-rules.js';
import { column, type LegacyCheck, q, seedColumns } from './model.js';

/**
 * Adds the seed columns an older layout lacks (e.g. `atlas_version`, `checksum`, `composition_uid`), as
 * nullable first; fill-nulls gives existing rows a value and not-null tightens them afterwards.
 */
export const addMissingColumns: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    for (const spec of seedColumns(table.name)) {
      if (column(table, spec.name)) continue;
      if (spec.notNull && table.rows > 0 && !fillRule(table.name, spec.name)) {
        ctx.blockers.push(
          `${table.name} has no column ${spec.name} (nor a known older name for it) and its ${table.rows} rows ` +
            `give no way to derive it; add the column with the right values by hand, then run atlas migrate again`,
        );
        continue;
      }
      const def = spec.default === undefined ? '' : ` DEFAULT ${spec.default}`;
      const sql = [`ALTER TABLE ${q(table.name)} ADD COLUMN ${q(spec.name)} ${spec.type}${def}`];
      const derive = DERIVE_RULES[table.name]?.[spec.name]?.(ctx, table);
      let how = '';
      if (derive) {
        sql.push(`UPDATE ${q(table.name)} SET ${q(spec.name)} = ${derive}`);
        how = ` and derive it from the row (${derive})`;
      }
      changes.push({
        check: 'add-column',
        description: `${table.name}: add column ${spec.name} ${spec.type}${how}`,
        sql,
      });
      table.columns.push({
        name: spec.name,
        original: spec.name,
        type: spec.type,
        notNull: false,
        default: spec.default ?? null,
        added: true,
      });
    }
  }
  return changes;
};
