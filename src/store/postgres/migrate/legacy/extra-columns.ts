import type { LegacyChange } from '../types.js';
import { type LegacyCheck, q } from './model.js';

/**
 * Columns no Atlas migration defines (e.g. `archetype_node_id` of the original's manual schema, `updated_at`,
 * the legacy_* columns holding original values) are kept with their data. A NOT NULL one without a default
 * would make every Atlas insert fail, so it becomes nullable. `atlas migrate up --drop-legacy-columns` drops
 * them when the user asks (see dropLegacyColumnsStep).
 */
export const relaxExtraColumns: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    const known = ctx.atlasColumns(table.name);
    const extra = table.columns.filter((c) => !known.has(c.name) && !c.name.startsWith('legacy_'));
    if (extra.length === 0) continue;
    const blocking = extra.filter((c) => c.notNull && c.default === null);
    changes.push({
      check: 'keep-extra-columns',
      description:
        `${table.name}: keep column(s) ${extra.map((c) => c.name).join(', ')} with their data (not part of Atlas's schema; ` +
        `--drop-legacy-columns drops them)` +
        (blocking.length > 0
          ? `; drop NOT NULL on ${blocking.map((c) => c.name).join(', ')} so Atlas can insert rows`
          : ''),
      sql: blocking.map((c) => `ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(c.name)} DROP NOT NULL`),
    });
    for (const c of blocking) c.notNull = false;
  }
  return changes;
};
