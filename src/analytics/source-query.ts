import { qualified, quoteIdent } from '../views/identifiers.js';
import type { ViewModel } from '../views/index.js';
import type { ExportColumn } from './export-columns.js';
import { binarySelect, type ColumnEncoding, csvSelect, duckdbIntervalSelect } from './type-mapping.js';

export interface SourceTarget {
  viewsSchema: string;
  dataSchema: string;
  templateId: string;
}

/** A query and its parameters, as recorded in the manifest. */
export interface BoundQuery {
  sql: string;
  params: string[];
}

/**
 * The rows of a view an export writes: all of them, or with `since` only those of compositions committed
 * after it (the main view carries `time_committed`; a repeating view is narrowed through its composition).
 */
export function viewRowsFrom(target: SourceTarget, view: ViewModel, since: string | undefined): BoundQuery {
  const from = `FROM ${qualified(target.viewsSchema, view.name)} AS v`;
  if (since === undefined) return { sql: from, params: [] };
  if (view.kind === 'main')
    return { sql: `${from}\nWHERE v.time_committed > $1::timestamptz`, params: [since] };
  return {
    sql:
      `${from}\nWHERE v.composition_id IN (SELECT c.id FROM ${qualified(target.dataSchema, 'compositions')} AS c ` +
      `WHERE c.template_id = $2 AND c.deleted_at IS NULL AND c.time_committed > $1::timestamptz)`,
    params: [since, target.templateId],
  };
}

/**
 * One pass before the rows: the row count (progress, manifest) and, per numeric column, the largest scale
 * and absolute value (decimal-shape.ts). Results: [count, scale₁, abs₁, scale₂, abs₂, …].
 */
export function statsQuery(rows: BoundQuery, numeric: ExportColumn[]): BoundQuery {
  const aggregates = [
    'count(*)',
    ...numeric.flatMap((c) => [`max(scale(v.${quoteIdent(c.name)}))`, `max(abs(v.${quoteIdent(c.name)}))`]),
  ];
  return { sql: `SELECT ${aggregates.join(', ')}\n${rows.sql}`, params: rows.params };
}

export type SelectFlavour = 'parquet' | 'csv' | 'duckdb';

/** The SELECT a format's writer reads, each column converted for it (type-mapping.ts). */
export function rowsQuery(rows: BoundQuery, encodings: ColumnEncoding[], flavour: SelectFlavour): BoundQuery {
  const cols = encodings.map((enc) => {
    const ref = `v.${quoteIdent(enc.column.name)}`;
    if (flavour === 'csv') return csvSelect(enc, ref);
    if (flavour === 'duckdb' && enc.column.sqlType === 'interval') return duckdbIntervalSelect(ref);
    return binarySelect(enc, ref);
  });
  return { sql: `SELECT ${cols.join(', ')}\n${rows.sql}`, params: rows.params };
}

/** Commit times of the exported compositions of a template: the manifest's time range. */
export function timeRangeQuery(target: SourceTarget, since: string | undefined): BoundQuery {
  const where = since === undefined ? '' : ' AND time_committed > $2::timestamptz';
  return {
    sql:
      `SELECT ${isoUtc('min(time_committed)')}, ${isoUtc('max(time_committed)')}, count(*) FROM ${qualified(target.dataSchema, 'compositions')} ` +
      `WHERE template_id = $1 AND deleted_at IS NULL${where}`,
    params: since === undefined ? [target.templateId] : [target.templateId, since],
  };
}

/** A timestamptz as `YYYY-MM-DDTHH:MM:SS.ffffffZ`. */
function isoUtc(expr: string): string {
  return `to_char(${expr} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
}
