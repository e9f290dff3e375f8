import type { ExportSqlType } from './export-columns.js';
import type { BoundQuery } from './source-query.js';

/** The manifest's file name: fixed, scripts outside Atlas read it. */
export const MANIFEST_FILE = 'manifest.json';
/** The database file of `--format duckdb`: fixed, one table per view. */
export const DUCKDB_FILE = 'views.duckdb';
export const MANIFEST_VERSION = 1;

export type ExportFormat = 'parquet' | 'csv' | 'duckdb';

export interface ManifestColumn {
  name: string;
  sqlType: ExportSqlType;
  nullable: boolean;
  /** Type in the written file: Parquet physical + logical type, DuckDB type, or how CSV spells the value. */
  fileType: string;
}

export interface ManifestView {
  name: string;
  templateId: string;
  kind: 'main' | 'repeating';
  /** FLAT path pattern of the repeating node; `` for the main view. */
  nodePath: string;
  /** File holding the view (for duckdb: the database file) and, for duckdb, its table. */
  file: string;
  table?: string;
  rowCount: number;
  schema: ManifestColumn[];
  /** The SELECT the rows were read with, and its parameters. */
  sourceQuery: BoundQuery;
  timeRange: TimeRange;
}

/**
 * Commit times the file covers: compositions committed after `since` (exclusive; null = from the start)
 * up to `to` (inclusive, the latest commit time exported). The next delta passes `--since <to>`.
 */
export interface TimeRange {
  since: string | null;
  from: string | null;
  to: string | null;
  compositions: number;
}

export interface ManifestFile {
  file: string;
  bytes: number;
  sha256: string;
}

export interface ExportManifest {
  manifestVersion: typeof MANIFEST_VERSION;
  generator: string;
  createdAt: string;
  format: ExportFormat;
  since: string | null;
  /** Where the rows came from (schemas, not connection details). */
  source: { database: 'postgresql' | 'embedded'; viewsSchema: string; dataSchema: string; snapshot: string };
  views: ManifestView[];
  files: ManifestFile[];
}
