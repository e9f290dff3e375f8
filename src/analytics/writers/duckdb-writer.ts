import { ConfigError, coerceError } from '../../errors.js';
import { quoteIdent } from '../../views/identifiers.js';
import { type ColumnEncoding, parseIntArray } from '../type-mapping.js';
import type { ViewWriter } from './view-writer.js';

type DuckDb = typeof import('@duckdb/node-api');

/**
 * `@duckdb/node-api` is an optional dependency (its native binary is ~70 MB and exists only for the main
 * platforms): loaded on first use, with a clear error where it is not installed.
 */
export async function loadDuckDb(): Promise<DuckDb> {
  try {
    return await import('@duckdb/node-api');
  } catch (err) {
    throw new ConfigError(
      `--format duckdb needs the optional dependency @duckdb/node-api, which is not installed here (${coerceError(err).message}). ` +
        'Install it (npm install @duckdb/node-api@1.5.6-r.1) or use --format parquet.',
      { cause: err },
    );
  }
}

/** One DuckDB database file, a table per view, filled with the appender. */
export interface DuckDbFile {
  table(name: string, encodings: ColumnEncoding[]): Promise<ViewWriter>;
  close(): Promise<void>;
}

export async function openDuckDbFile(file: string): Promise<DuckDbFile> {
  const duck = await loadDuckDb();
  // A memory limit keeps DuckDB's buffer pool bounded; it spills to the database file beyond it.
  const instance = await duck.DuckDBInstance.create(file, { memory_limit: '512MB', threads: '2' });
  const connection = await instance.connect();
  return {
    async table(name, encodings) {
      const cols = encodings.map(
        (e) => `${quoteIdent(e.column.name)} ${e.duckdbType}${e.column.required ? ' NOT NULL' : ''}`,
      );
      await connection.run(`CREATE TABLE ${quoteIdent(name)} (${cols.join(', ')})`);
      const appender = await connection.createAppender(name);
      const appenders = encodings.map((e) => appendOf(duck, appender, e));
      return {
        async write(rows) {
          for (const row of rows) {
            for (let j = 0; j < appenders.length; j++) {
              const v = row[j];
              if (v === null || v === undefined) appender.appendNull();
              else appenders[j]!(v);
            }
            appender.endRow();
          }
          appender.flushSync();
        },
        async finish() {
          appender.closeSync();
        },
      };
    },
    async close() {
      connection.closeSync();
      instance.closeSync();
    },
  };
}

type Appender = Awaited<ReturnType<InstanceType<DuckDb['DuckDBConnection']>['createAppender']>>;

/** PostgreSQL text (as converted by the export query) → the appender call of the column's DuckDB type. */
function appendOf(duck: DuckDb, a: Appender, enc: ColumnEncoding): (v: string) => void {
  switch (enc.column.sqlType) {
    case 'integer':
      return (v) => a.appendInteger(Number(v));
    case 'bigint':
      return (v) => a.appendBigInt(BigInt(v));
    case 'boolean':
      return (v) => a.appendBoolean(v === 't');
    case 'date':
      return (v) => a.appendDate(new duck.DuckDBDateValue(Number(v)));
    case 'time':
      return (v) => a.appendTime(new duck.DuckDBTimeValue(BigInt(v)));
    case 'timestamptz':
      return (v) => a.appendTimestampTZ(new duck.DuckDBTimestampTZValue(BigInt(v)));
    case 'numeric': {
      const d = enc.decimal;
      if (d?.kind !== 'decimal') return (v) => a.appendVarchar(v);
      return (v) => a.appendDecimal(new duck.DuckDBDecimalValue(BigInt(v), d.precision, d.scale));
    }
    case 'interval':
      return (v) => {
        const [months, days, micros] = v.split(',');
        a.appendInterval(new duck.DuckDBIntervalValue(Number(months), Number(days), BigInt(micros!)));
      };
    case 'int[]':
      return (v) => a.appendList(new duck.DuckDBListValue(parseIntArray(v)));
    default:
      return (v) => a.appendVarchar(v);
  }
}
