import type { LegacyChange } from '../types.js';
import { column, type LegacyCheck, probeTable, probeText } from './model.js';

/**
 * Watermark ids become `{template_id}::{ehr_id}` (the seed's documented form). The original code wrote
 * `{template_id}_{ehr_id}` (derivable, so simply rewritten); the documented manual schema used random UUIDs,
 * which are kept in `legacy_id` since they cannot be derived back.
 */
export const rewriteWatermarkIds: LegacyCheck = async (ctx) => {
  const table = ctx.tables.get('watermarks');
  const id = table && column(table, 'id');
  const tpl = table && column(table, 'template_id');
  const ehr = table && column(table, 'ehr_id');
  if (!table || !id || id.added || !tpl || !ehr || table.rows === 0) return [];
  const canonical = `${probeText(tpl)} || '::' || ${probeText(ehr)}`;
  const underscore = `${probeText(tpl)} || '_' || ${probeText(ehr)}`;
  const [p] = await ctx.probe<{ other: string; opaque: string; duplicates: string }>(
    `SELECT count(*) FILTER (WHERE ${probeText(id)} IS DISTINCT FROM ${canonical}) AS other,
            count(*) FILTER (WHERE ${probeText(id)} IS DISTINCT FROM ${canonical}
                               AND ${probeText(id)} IS DISTINCT FROM ${underscore}) AS opaque,
            count(*) - count(DISTINCT (${canonical})) AS duplicates
       FROM ${probeTable(ctx, table)}`,
  );
  const other = Number(p?.other ?? 0);
  if (other === 0) return [];
  if (Number(p?.duplicates ?? 0) > 0) {
    ctx.blockers.push(
      `watermarks has ${p?.duplicates} row(s) repeating a (template_id, ehr_id) pair; keep one row per pair, then run atlas migrate again`,
    );
    return [];
  }
  const sql: string[] = [];
  const opaque = Number(p?.opaque ?? 0);
  if (opaque > 0 && !column(table, 'legacy_id')) {
    sql.push('ALTER TABLE watermarks ADD COLUMN legacy_id text');
    table.columns.push({
      name: 'legacy_id',
      original: 'legacy_id',
      type: 'text',
      notNull: false,
      default: null,
      added: true,
    });
  }
  if (opaque > 0) {
    sql.push(
      `UPDATE watermarks SET legacy_id = id WHERE id IS DISTINCT FROM template_id || '::' || ehr_id AND id IS DISTINCT FROM template_id || '_' || ehr_id`,
    );
  }
  sql.push(
    `UPDATE watermarks SET id = template_id || '::' || ehr_id WHERE id IS DISTINCT FROM template_id || '::' || ehr_id`,
  );
  const kept = opaque > 0 ? `; ${opaque} id(s) not derivable from the pair are kept in legacy_id` : '';
  return [
    {
      check: 'rewrite-watermark-ids',
      description: `watermarks: rewrite ${other} id(s) to {template_id}::{ehr_id}${kept}`,
      sql,
    } satisfies LegacyChange,
  ];
};
