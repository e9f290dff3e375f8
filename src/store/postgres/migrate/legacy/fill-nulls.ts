import type { LegacyChange } from '../types.js';
import { FILL_RULES } from './fill-rules.js';
import {
  column,
  type LegacyCheck,
  type LegacyContext,
  type ModelTable,
  probeTable,
  q,
  seedColumns,
} from './model.js';

/**
 * Gives every row a value in the seed's NOT NULL columns: columns just added are computed for all rows,
 * existing columns only where NULL (see fill-rules.ts). Runs per table so the watermark rules can count
 * the compositions after version rows were folded.
 */
export function fillNulls(tableName: string): LegacyCheck {
  return async (ctx) => {
    const table = ctx.tables.get(tableName);
    if (!table || table.rows === 0) return [];
    const nulls = await nullCounts(ctx, table);
    const changes: LegacyChange[] = [];
    for (const [name, rule] of FILL_RULES[tableName] ?? []) {
      const col = column(table, name);
      if (!col) continue;
      const missing = col.added ? table.rows : (nulls.get(name) ?? 0);
      if (missing === 0) continue;
      const expr = rule(ctx, table);
      if (expr === undefined) continue;
      const where = col.added ? '' : ` WHERE ${q(name)} IS NULL`;
      changes.push({
        check: 'fill-column',
        description: `${tableName}.${name}: set ${missing} row(s)${col.added ? '' : ' that are NULL'} to ${expr}`,
        sql: [`UPDATE ${q(tableName)} SET ${q(name)} = ${expr}${where}`],
      });
    }
    return changes;
  };
}

/** NULL counts of the seed NOT NULL columns that exist now (one probe per table). */
async function nullCounts(ctx: LegacyContext, table: ModelTable): Promise<Map<string, number>> {
  const cols = seedColumns(table.name)
    .filter((s) => s.notNull)
    .map((s) => column(table, s.name))
    .filter((c) => c !== undefined && !c.added && !c.notNull);
  const out = new Map<string, number>();
  if (cols.length === 0) return out;
  const select = cols
    .map((c, i) => `count(*) FILTER (WHERE ${q(c?.original ?? '')} IS NULL) AS n${i}`)
    .join(', ');
  const [row] = await ctx.probe<Record<string, string>>(`SELECT ${select} FROM ${probeTable(ctx, table)}`);
  cols.forEach((c, i) => {
    if (c) out.set(c.name, Number(row?.[`n${i}`] ?? 0));
  });
  for (const [name, n] of out) {
    if (n > 0 && !FILL_RULES[table.name]?.some(([c]) => c === name)) {
      ctx.blockers.push(
        `${table.name}.${name} is NULL in ${n} row(s) and no value can be derived for it; ` +
          `fill or delete those rows, then run atlas migrate again`,
      );
    }
  }
  return out;
}

/** Tightens the seed's NOT NULL columns once every row has a value. */
export const setNotNull: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const table of ctx.tables.values()) {
    for (const spec of seedColumns(table.name)) {
      const col = column(table, spec.name);
      if (!col || !spec.notNull || col.notNull) continue;
      changes.push({
        check: 'set-not-null',
        description: `${table.name}.${spec.name}: set NOT NULL (as in the seed schema)`,
        sql: [`ALTER TABLE ${q(table.name)} ALTER COLUMN ${q(spec.name)} SET NOT NULL`],
      });
      col.notNull = true;
    }
  }
  return changes;
};
