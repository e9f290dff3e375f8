import type pg from 'pg';
import type { RecordedColumn } from './flat-expect.js';

export interface RecordedView {
  view_name: string;
  kind: 'main' | 'repeating';
  node_path: string;
  index_columns: string[];
  columns: Array<RecordedColumn & { comment: string; label: string }>;
  removed_at: string | null;
  template_hash: string;
}

/** The views recorded for a template (view_definitions), JSON columns parsed whatever the pool's parsers. */
export async function recordedViews(
  pool: pg.Pool,
  templateId: string,
  schema = 'atlas_views',
): Promise<RecordedView[]> {
  const { rows } = await pool.query(
    `SELECT view_name, kind, node_path, index_columns::text AS index_columns, columns::text AS columns,
            removed_at::text AS removed_at, template_hash
       FROM view_definitions WHERE template_id = $1 AND view_schema = $2 ORDER BY view_name`,
    [templateId, schema],
  );
  return rows.map((r) => ({
    ...r,
    index_columns: JSON.parse(r.index_columns),
    columns: JSON.parse(r.columns),
  })) as RecordedView[];
}

/** `{0,1}` (PostgreSQL's text of an int[]) → [0, 1]. */
export function parseIntArray(text: string): number[] {
  const inner = text.replace(/^\{|\}$/g, '');
  return inner === '' ? [] : inner.split(',').map(Number);
}

/** Columns of a relation with their SQL type and comment, in order. */
export async function columnsOf(
  pool: pg.Pool,
  schema: string,
  view: string,
): Promise<Array<{ name: string; type: string; comment: string | null }>> {
  const { rows } = await pool.query(
    `SELECT a.attname AS name, format_type(a.atttypid, a.atttypmod) AS type, col_description(a.attrelid, a.attnum) AS comment
       FROM pg_attribute a WHERE a.attrelid = to_regclass($1) AND a.attnum > 0 AND NOT a.attisdropped
      ORDER BY a.attnum`,
    [`"${schema}"."${view}"`],
  );
  return rows;
}

/** PostgreSQL's name for each generated SQL type. */
export const PG_TYPE: Record<string, string> = {
  text: 'text',
  numeric: 'numeric',
  bigint: 'bigint',
  integer: 'integer',
  boolean: 'boolean',
  date: 'date',
  time: 'time without time zone',
  timestamptz: 'timestamp with time zone',
  interval: 'interval',
};
