import type { DecimalShape } from './decimal-shape.js';
import type { ExportColumn, ExportSqlType } from './export-columns.js';

/**
 * How each SQL type of a view is exported (docs/analytics.md, "Types"). PostgreSQL does the conversion in
 * the export query, so the values reach Node as exact integers or text and never pass through a float:
 *
 * | SQL            | Parquet                                          | DuckDB        | CSV                          |
 * | text           | BYTE_ARRAY STRING                                | VARCHAR       | as is                        |
 * | integer        | INT32                                            | INTEGER       | decimal digits               |
 * | bigint         | INT64                                            | BIGINT        | decimal digits               |
 * | numeric        | FIXED_LEN_BYTE_ARRAY(16) DECIMAL(38, s)          | DECIMAL(38,s) | exact decimal text           |
 * | boolean        | BOOLEAN                                          | BOOLEAN       | true / false                 |
 * | date           | INT32 DATE                                       | DATE          | YYYY-MM-DD                   |
 * | time           | INT64 TIME(MICROS, isAdjustedToUTC=false)        | TIME          | HH:MM:SS[.ffffff]            |
 * | timestamptz    | INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)    | TIMESTAMPTZ   | YYYY-MM-DDTHH:MM:SS.ffffffZ  |
 * | interval       | BYTE_ARRAY STRING, ISO 8601 duration (P1DT2H)    | INTERVAL      | ISO 8601 duration            |
 * | int[]          | LIST<INT32>                                      | INTEGER[]     | {1,0}                        |
 */
export interface ColumnEncoding {
  column: ExportColumn;
  /** Set for numeric columns: how the values are written (measured from the data). */
  decimal?: DecimalShape;
  /** Human-readable types for the manifest. */
  parquetType: string;
  duckdbType: string;
}

/** The SQL expression selecting a column's value for the binary formats (Parquet, DuckDB). */
export function binarySelect(enc: ColumnEncoding, ref: string): string {
  switch (enc.column.sqlType) {
    case 'date':
      return `(${ref} - DATE '1970-01-01')`;
    case 'time':
    case 'timestamptz':
      // extract() gives numeric (exact) since PostgreSQL 14: microseconds as a whole number.
      return `(extract(epoch FROM ${ref}) * 1000000)::bigint`;
    case 'numeric':
      return enc.decimal?.kind === 'decimal' ? `trunc(${ref} * 1e${enc.decimal.scale})` : ref;
    default:
      return ref;
  }
}

/** The SQL expression selecting a column's value as CSV text (the session is in UTC, ISO styles). */
export function csvSelect(enc: ColumnEncoding, ref: string): string {
  if (enc.column.sqlType === 'timestamptz')
    return `to_char(${ref} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;
  // `t`/`f` is the wire form; ::text spells it `true`/`false`.
  if (enc.column.sqlType === 'boolean') return `${ref}::text`;
  return ref;
}

/** The SQL expression of a DuckDB interval: months, days and microseconds, as DuckDB stores them. */
export function duckdbIntervalSelect(ref: string): string {
  return (
    `(extract(year FROM ${ref}) * 12 + extract(month FROM ${ref}))::text || ',' || extract(day FROM ${ref})::text || ',' || ` +
    `((extract(hour FROM ${ref}) * 3600 + extract(minute FROM ${ref}) * 60) * 1000000 + extract(microseconds FROM ${ref}))::bigint::text`
  );
}

export function encodingOf(column: ExportColumn, decimal?: DecimalShape): ColumnEncoding {
  const enc: ColumnEncoding = { column, parquetType: '', duckdbType: '' };
  if (decimal) enc.decimal = decimal;
  [enc.parquetType, enc.duckdbType] = typeNames(column.sqlType, decimal);
  return enc;
}

function typeNames(sqlType: ExportSqlType, decimal?: DecimalShape): [string, string] {
  switch (sqlType) {
    case 'text':
      return ['BYTE_ARRAY STRING', 'VARCHAR'];
    case 'integer':
      return ['INT32', 'INTEGER'];
    case 'bigint':
      return ['INT64', 'BIGINT'];
    case 'numeric':
      return decimal?.kind === 'decimal'
        ? [
            `FIXED_LEN_BYTE_ARRAY(16) DECIMAL(${decimal.precision}, ${decimal.scale})`,
            `DECIMAL(${decimal.precision}, ${decimal.scale})`,
          ]
        : ['BYTE_ARRAY STRING (exact decimal text: over 38 digits)', 'VARCHAR'];
    case 'boolean':
      return ['BOOLEAN', 'BOOLEAN'];
    case 'date':
      return ['INT32 DATE', 'DATE'];
    case 'time':
      return ['INT64 TIME(MICROS, isAdjustedToUTC=false)', 'TIME'];
    case 'timestamptz':
      return ['INT64 TIMESTAMP(MICROS, isAdjustedToUTC=true)', 'TIMESTAMPTZ'];
    case 'interval':
      return ['BYTE_ARRAY STRING (ISO 8601 duration)', 'INTERVAL'];
    case 'int[]':
      return ['LIST<INT32>', 'INTEGER[]'];
  }
}

/** `{1,0}` (PostgreSQL array text) → [1, 0]. */
export function parseIntArray(text: string): number[] {
  const inner = text.slice(1, -1);
  return inner === '' ? [] : inner.split(',').map(Number);
}

/** How a CSV field spells a value of the type (the manifest's `fileType` for CSV). */
export function csvTypeName(enc: ColumnEncoding): string {
  switch (enc.column.sqlType) {
    case 'timestamptz':
      return 'timestamptz as YYYY-MM-DDTHH:MM:SS.ffffffZ (UTC)';
    case 'interval':
      return 'interval as ISO 8601 duration';
    case 'int[]':
      return 'int[] as {i,j,…}';
    case 'numeric':
      return 'numeric as exact decimal text';
    case 'boolean':
      return 'boolean as true/false';
    default:
      return `${enc.column.sqlType} as PostgreSQL text (ISO)`;
  }
}
