/**
 * Analytics outputs (docs/analytics.md): the generated views written as Parquet, CSV or a DuckDB database,
 * with a manifest, streamed through a server-side cursor. Reads views (models, names) and the store.
 */
export { DECIMAL_PRECISION, decimalShape } from './decimal-shape.js';
export { checkSince, exportViewsToFiles, type ViewsExportOptions } from './export-views.js';
export {
  DUCKDB_FILE,
  type ExportFormat,
  type ExportManifest,
  MANIFEST_FILE,
  type ManifestView,
} from './manifest.js';
export { type ExportProgress, silentExportProgress } from './progress.js';
