import { quoteIdent } from './identifiers.js';
import type { ColumnSqlType } from './types.js';

/**
 * Safe casts from FLAT text to SQL types: a value that does not parse gives NULL, never an error (one odd
 * value must not break every query on a view). Plain SQL functions guarded by regular expressions (and,
 * for dates, a days-in-month check) instead of PL/pgSQL exception blocks: a single-SELECT SQL function is
 * inlined into the view's query, so the guard costs a regex match, not a subtransaction per value. Inputs
 * with a comma as decimal separator (`…34,314872+02:00`, seen in EHRbase data) are read with a dot.
 *
 * Volatility is declared honestly: text → timestamptz/time/interval depend on session settings (TimeZone for
 * values without an offset), so those are STABLE; the others are IMMUTABLE. Both kinds are inlined. Not
 * STRICT on purpose: PostgreSQL does not inline a STRICT function whose body (a CASE) is not strict; a NULL
 * input gives NULL anyway.
 */
const functions: Array<{ name: string; returns: string; volatility: 'IMMUTABLE' | 'STABLE'; body: string }> =
  [
    {
      name: 'try_numeric',
      returns: 'numeric',
      volatility: 'IMMUTABLE',
      body: `CASE WHEN v ~ '^[-+]?([0-9]+([.,][0-9]*)?|[.,][0-9]+)([eE][-+]?[0-9]{1,4})?$' THEN replace(v, ',', '.')::numeric END`,
    },
    {
      name: 'try_bigint',
      returns: 'bigint',
      volatility: 'IMMUTABLE',
      body: `CASE WHEN v ~ '^[-+]?[0-9]{1,18}([.,]0*)?$' THEN replace(v, ',', '.')::numeric::bigint END`,
    },
    {
      name: 'try_integer',
      returns: 'integer',
      volatility: 'IMMUTABLE',
      body: `CASE WHEN v ~ '^[-+]?[0-9]{1,9}([.,]0*)?$' THEN replace(v, ',', '.')::numeric::integer END`,
    },
    {
      name: 'try_boolean',
      returns: 'boolean',
      volatility: 'IMMUTABLE',
      body: `CASE lower(v) WHEN 'true' THEN true WHEN 'false' THEN false END`,
    },
    {
      // Nested CASEs: the day check reads substrings only once the shape is known to be right.
      name: 'try_date',
      returns: 'date',
      volatility: 'IMMUTABLE',
      body: `CASE WHEN v ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$' THEN
      CASE WHEN %SCHEMA%.valid_ymd(v) THEN make_date(substr(v, 1, 4)::int, substr(v, 6, 2)::int, substr(v, 9, 2)::int) END END`,
    },
    {
      name: 'try_time',
      returns: 'time',
      volatility: 'STABLE',
      body: `CASE WHEN v ~ '^([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)([.,][0-9]+)?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?$' THEN replace(v, ',', '.')::time END`,
    },
    {
      name: 'try_timestamptz',
      returns: 'timestamptz',
      volatility: 'STABLE',
      body: `CASE WHEN v ~ '^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])([T ]([01][0-9]|2[0-3]):[0-5][0-9](:([0-5][0-9]|60)([.,][0-9]+)?)?(Z|[+-](0[0-9]|1[0-4])(:?[0-5][0-9])?)?)?$' THEN
      CASE WHEN %SCHEMA%.valid_ymd(v) THEN replace(v, ',', '.')::timestamptz END END`,
    },
    {
      // ISO 8601 durations with designators (P1Y2M3W4DT5H6M7.5S); PostgreSQL reads that syntax natively.
      // Digit counts are bounded so no field overflows; `P`, `PT` and negative durations give NULL.
      name: 'try_interval',
      returns: 'interval',
      volatility: 'STABLE',
      body: `CASE WHEN v ~ '^P(?!$)([0-9]{1,6}Y)?([0-9]{1,6}M)?([0-9]{1,6}W)?([0-9]{1,6}D)?(T(?=[0-9])([0-9]{1,6}H)?([0-9]{1,6}M)?([0-9]{1,9}([.,][0-9]+)?S)?)?$' THEN replace(v, ',', '.')::interval END`,
    },
  ];

/** `YYYY-MM-DD…` whose year is not 0 and whose day exists in its month (shape already checked). */
const validYmd = `SELECT substr(v, 1, 4)::int > 0 AND substr(v, 9, 2)::int <= CASE substr(v, 6, 2)
      WHEN '02' THEN CASE WHEN (substr(v, 1, 4)::int % 4 = 0 AND substr(v, 1, 4)::int % 100 <> 0)
                            OR substr(v, 1, 4)::int % 400 = 0 THEN 29 ELSE 28 END
      WHEN '04' THEN 30 WHEN '06' THEN 30 WHEN '09' THEN 30 WHEN '11' THEN 30 ELSE 31 END`;

/** CREATE OR REPLACE statements for the helpers, in dependency order. */
export function castFunctionStatements(schema: string): string[] {
  const s = quoteIdent(schema);
  const create = (name: string, returns: string, volatility: string, select: string) =>
    `CREATE OR REPLACE FUNCTION ${s}.${name}(v text) RETURNS ${returns}\n` +
    `  LANGUAGE sql ${volatility} PARALLEL SAFE\n` +
    `  AS $fn$${select.replaceAll('%SCHEMA%', s)}$fn$`;
  return [
    create('valid_ymd', 'boolean', 'IMMUTABLE', validYmd),
    ...functions.map((f) => create(f.name, f.returns, f.volatility, `SELECT ${f.body}`)),
  ];
}

/** Names of the helper functions (for `views drop` and the docs). */
export const CAST_FUNCTION_NAMES = ['valid_ymd', ...functions.map((f) => f.name)];

/** The expression turning FLAT text into a column of `sqlType`. */
export function castExpression(schema: string, sqlType: ColumnSqlType, textExpr: string): string {
  if (sqlType === 'text') return textExpr;
  return `${quoteIdent(schema)}.try_${sqlType}(${textExpr})`;
}
