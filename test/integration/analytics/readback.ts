import { DuckDBInstance } from '@duckdb/node-api';
import type pg from 'pg';
import type { ExportManifest, ManifestView } from '../../../src/analytics/index.js';
import { canonicalFromDuckDb, canonicalFromText } from './canonical.js';

/** Every row of a view as PostgreSQL prints it, canonical, sorted (columns in the manifest's order). */
export async function viewRows(
  raw: pg.Pool,
  view: ManifestView,
  interval: 'iso' | 'parts',
  where = '',
): Promise<string[]> {
  const cols = view.schema.map((c) => `"${c.name}"`).join(', ');
  const { rows } = await raw.query({
    text: `SELECT ${cols} FROM atlas_views."${view.name}" AS v ${where}`,
    rowMode: 'array',
  });
  return (rows as Array<Array<string | null>>)
    .map((r) => JSON.stringify(r.map((v, i) => canonicalFromText(view.schema[i]!.sqlType, v, interval))))
    .sort();
}

/** DuckDB, in memory, as the independent reader of the files Atlas wrote. */
export async function duckdb() {
  const instance = await DuckDBInstance.create(':memory:');
  const con = await instance.connect();
  return {
    async rows(sql: string): Promise<unknown[][]> {
      const reader = await con.runAndReadAll(sql);
      return reader.getRows() as unknown[][];
    },
    async describe(sql: string): Promise<Map<string, string>> {
      const reader = await con.runAndReadAll(`DESCRIBE ${sql}`);
      return new Map((reader.getRows() as unknown[][]).map((r) => [String(r[0]), String(r[1])]));
    },
    close() {
      con.closeSync();
      instance.closeSync();
    },
  };
}

export type Duck = Awaited<ReturnType<typeof duckdb>>;

/** The rows of one exported view read back with DuckDB, canonical, sorted. */
export async function fileRows(
  duck: Duck,
  dir: string,
  manifest: ExportManifest,
  view: ManifestView,
): Promise<string[]> {
  const path = `${dir}/${view.file}`.replaceAll("'", "''");
  const cols = view.schema.map((c) => `"${c.name}"`).join(', ');
  let rows: unknown[][];
  if (manifest.format === 'parquet') rows = await duck.rows(`SELECT ${cols} FROM read_parquet('${path}')`);
  else if (manifest.format === 'duckdb') {
    await duck.rows(`ATTACH '${path}' AS exported (READ_ONLY)`);
    try {
      rows = await duck.rows(`SELECT ${cols} FROM exported."${view.table}"`);
    } finally {
      await duck.rows('DETACH exported');
    }
  } else {
    // Every field as text: the CSV's own spelling is what is checked, NULL (empty) apart from "" (empty string).
    rows = await duck.rows(
      `SELECT ${cols} FROM read_csv('${path}', header = true, all_varchar = true, quote = '"', escape = '"', allow_quoted_nulls = false)`,
    );
    return rows
      .map((r) =>
        JSON.stringify(
          r.map((v, i) => canonicalFromText(view.schema[i]!.sqlType, v as string | null, 'iso')),
        ),
      )
      .sort();
  }
  return rows.map((r) => JSON.stringify(r.map(canonicalFromDuckDb))).sort();
}
