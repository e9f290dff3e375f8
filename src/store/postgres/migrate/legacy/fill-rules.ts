import { column, type LegacyContext, type ModelTable } from './model.js';

/**
 * How a seed column that is missing or NULL in an older layout gets its value (evaluated per row in an
 * UPDATE of that table, after renames and type changes). Each rule is documented in migrations/README.md.
 * A NOT NULL column without a rule cannot be derived: the upgrade refuses and says so.
 */
export type FillRule = (ctx: LegacyContext, table: ModelTable) => string | undefined;

const compositionsOf = (ctx: LegacyContext, what: string, fallback: string): string =>
  ctx.tables.has('compositions')
    ? `(SELECT ${what} FROM compositions c WHERE c.template_id = watermarks.template_id AND c.ehr_id = watermarks.ehr_id)`
    : fallback;

/** In evaluation order (later rules may read columns filled by earlier ones). */
export const FILL_RULES: Record<string, Array<[column: string, rule: FillRule]>> = {
  compositions: [
    // The version is unknown in layouts without composition_uid; the next export sees a different version uid
    // and rewrites the row with the current version.
    ['composition_uid', () => 'id'],
    ['export_mode', () => "'preserve'"],
    ['exported_at', () => 'now()'],
    ['atlas_version', () => "'unknown'"],
  ],
  watermarks: [
    ['id', () => "template_id || '::' || ehr_id"],
    [
      'last_exported_timestamp',
      (ctx) =>
        `COALESCE(${compositionsOf(ctx, 'max(c.time_committed)', 'NULL')}, last_export_started_at, now())`,
    ],
    ['compositions_exported_count', (ctx) => compositionsOf(ctx, 'count(*)', '0')],
    ['last_export_started_at', () => 'COALESCE(last_export_completed_at, last_exported_timestamp, now())'],
    ['last_export_status', () => "'not_started'"],
  ],
};

/** Nullable seed columns an older layout lacks but whose value can be recovered from another column. */
export const DERIVE_RULES: Record<string, Record<string, FillRule>> = {
  watermarks: {
    last_export_completed_at: (_ctx, table) =>
      column(table, 'updated_at')
        ? "CASE WHEN last_export_status IN ('completed', 'failed') THEN updated_at END"
        : undefined,
  },
};

export function fillRule(table: string, name: string): FillRule | undefined {
  return FILL_RULES[table]?.find(([c]) => c === name)?.[1];
}
