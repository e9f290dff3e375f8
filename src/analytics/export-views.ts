import { mkdir, mkdtemp, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AppContext } from '../context.js';
import { ConfigError } from '../errors.js';
import type { SnapshotReader, Store } from '../store/types.js';
import { ATLAS_VERSION } from '../version.js';
import { existingRelations, loadStoredViews, type StoredView } from '../views/repository.js';
import { viewsTarget } from '../views/schemas.js';
import { measureView } from './column-encodings.js';
import { cursorBatches } from './cursor.js';
import { sha256File } from './file-checksum.js';
import {
  DUCKDB_FILE,
  type ExportFormat,
  type ExportManifest,
  MANIFEST_FILE,
  MANIFEST_VERSION,
  type ManifestView,
  type TimeRange,
} from './manifest.js';
import type { ExportProgress } from './progress.js';
import { rowsQuery, type SourceTarget, timeRangeQuery, viewRowsFrom } from './source-query.js';
import { csvTypeName } from './type-mapping.js';
import { csvViewWriter } from './writers/csv-writer.js';
import { type DuckDbFile, openDuckDbFile } from './writers/duckdb-writer.js';
import { parquetViewWriter } from './writers/parquet-writer.js';
import type { ViewWriter } from './writers/view-writer.js';

export interface ViewsExportOptions {
  format: ExportFormat;
  outDir: string;
  /** Default: every template with generated views. */
  templateIds?: string[];
  /** Only rows of compositions committed after this instant (ISO 8601; without an offset: UTC). */
  since?: string;
  progress: ExportProgress;
}

const CREATED_BY = `atlas ${ATLAS_VERSION}`;

/**
 * `atlas views export`: every generated view of the chosen templates into files in `outDir`, with a
 * manifest. All views are read in one snapshot. Files are written into a staging folder inside `outDir`
 * and moved into place only when every one is complete, the manifest last: a failed or interrupted export
 * leaves the previous files as they were and nothing half-written.
 */
export async function exportViewsToFiles(
  ctx: AppContext,
  store: Store,
  opts: ViewsExportOptions,
): Promise<ExportManifest> {
  const since = opts.since === undefined ? undefined : checkSince(opts.since);
  const { viewsSchema, dataSchema } = viewsTarget(ctx, '');
  const views = await chooseViews(store, dataSchema, viewsSchema, opts.templateIds);
  await mkdir(opts.outDir, { recursive: true });
  const staging = await mkdtemp(join(opts.outDir, '.atlas-export-'));
  try {
    const manifest: ExportManifest = {
      manifestVersion: MANIFEST_VERSION,
      generator: CREATED_BY,
      createdAt: new Date().toISOString(),
      format: opts.format,
      since: since ?? null,
      source: {
        database: store.kind as 'postgresql' | 'embedded',
        viewsSchema,
        dataSchema,
        snapshot: 'every file from one REPEATABLE READ snapshot',
      },
      views: [],
      files: [],
    };
    const duck = opts.format === 'duckdb' ? await openDuckDbFile(join(staging, DUCKDB_FILE)) : undefined;
    try {
      await store.readSnapshot(async (reader) => {
        const ranges = new Map<string, TimeRange>();
        for (const stored of views) {
          if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('interrupted');
          const target: SourceTarget = { viewsSchema, dataSchema, templateId: stored.templateId };
          let range = ranges.get(stored.templateId);
          if (!range) {
            range = await timeRange(reader, target, since);
            ranges.set(stored.templateId, range);
          }
          manifest.views.push(
            await exportOneView(ctx, reader, target, stored, range, staging, opts, since, duck),
          );
        }
      });
    } finally {
      await duck?.close();
    }
    const files = opts.format === 'duckdb' ? [DUCKDB_FILE] : manifest.views.map((v) => v.file);
    for (const file of files) {
      const path = join(staging, file);
      manifest.files.push({ file, bytes: (await stat(path)).size, sha256: await sha256File(path) });
    }
    await writeFile(join(staging, MANIFEST_FILE), `${JSON.stringify(manifest, null, 2)}\n`);
    for (const file of [...files, MANIFEST_FILE]) await rename(join(staging, file), join(opts.outDir, file));
    return manifest;
  } finally {
    await rm(staging, { recursive: true, force: true });
  }
}

async function exportOneView(
  ctx: AppContext,
  reader: SnapshotReader,
  target: SourceTarget,
  stored: StoredView,
  timeRange: TimeRange,
  staging: string,
  opts: ViewsExportOptions,
  since: string | undefined,
  duck: DuckDbFile | undefined,
): Promise<ManifestView> {
  const view = stored.model;
  const rows = viewRowsFrom(target, view, since);
  const { rowCount, encodings } = await measureView(reader, view, rows);
  const query = rowsQuery(rows, encodings, opts.format);
  const file = opts.format === 'duckdb' ? DUCKDB_FILE : `${view.name}.${opts.format}`;
  let writer: ViewWriter;
  if (duck) writer = await duck.table(view.name, encodings);
  else if (opts.format === 'csv') writer = csvViewWriter(join(staging, file), encodings);
  else writer = parquetViewWriter(join(staging, file), encodings, CREATED_BY);
  opts.progress.templateStarted(view.name, rowCount);
  let done = 0;
  try {
    for await (const batch of cursorBatches(reader, query)) {
      if (ctx.signal.aborted) throw ctx.signal.reason ?? new Error('interrupted');
      await writer.write(batch);
      done += batch.length;
      opts.progress.templateProgress(view.name, done, Math.max(done, rowCount));
    }
    await writer.finish();
  } catch (err) {
    opts.progress.templateFinished(view.name, ctx.signal.aborted ? 'interrupted' : 'failed');
    throw err;
  }
  opts.progress.templateFinished(view.name, 'completed');
  const entry: ManifestView = {
    name: view.name,
    templateId: stored.templateId,
    kind: view.kind,
    nodePath: view.nodePath,
    file,
    rowCount: done,
    schema: encodings.map((e) => ({
      name: e.column.name,
      sqlType: e.column.sqlType,
      nullable: !e.column.required,
      fileType:
        opts.format === 'parquet' ? e.parquetType : opts.format === 'duckdb' ? e.duckdbType : csvTypeName(e),
    })),
    sourceQuery: query,
    timeRange,
  };
  if (duck) entry.table = view.name;
  return entry;
}

async function timeRange(
  reader: SnapshotReader,
  target: SourceTarget,
  since: string | undefined,
): Promise<TimeRange> {
  const q = timeRangeQuery(target, since);
  const [row] = await reader.rows(q.sql, q.params);
  return {
    since: since ?? null,
    from: row?.[0] ?? null,
    to: row?.[1] ?? null,
    compositions: Number(row?.[2] ?? 0),
  };
}

/** The recorded views of the chosen templates, all present in the database; clear errors otherwise. */
async function chooseViews(
  store: Store,
  dataSchema: string,
  viewsSchema: string,
  templateIds: string[] | undefined,
): Promise<StoredView[]> {
  const stored = await loadStoredViews(store, dataSchema, viewsSchema);
  if (stored.length === 0)
    throw new ConfigError(`no generated views in schema ${viewsSchema}: run atlas views generate first`);
  const known = new Set(stored.map((s) => s.templateId));
  const unknown = (templateIds ?? []).filter((t) => !known.has(t));
  if (unknown.length > 0)
    throw new ConfigError(
      `no generated views for template ${unknown.join(', ')}; templates with views: ${[...known].join(', ')} ` +
        '(atlas views generate --template-id … creates them)',
    );
  const chosen = templateIds?.length ? stored.filter((s) => templateIds.includes(s.templateId)) : stored;
  const present = await existingRelations(
    store,
    viewsSchema,
    chosen.map((s) => s.model.name),
  );
  const missing = chosen.filter((s) => !present.has(s.model.name)).map((s) => s.model.name);
  if (missing.length > 0)
    throw new ConfigError(
      `views recorded but missing from ${viewsSchema}: ${missing.join(', ')}; run atlas views generate to recreate them`,
    );
  return chosen;
}

/**
 * `--since`: an ISO 8601 date or date-time (`2026-01-31`, `2026-01-31T12:00:00Z`, `…+02:00`); without an
 * offset it is read as UTC (the export session's time zone). Returned as given, for PostgreSQL to parse
 * with its full precision (microseconds).
 */
export function checkSince(value: string): string {
  const iso = /^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}(:?\d{2})?)?)?$/.exec(
    value.trim(),
  );
  if (!iso || Number.isNaN(Date.parse(value.trim().replace(' ', 'T'))))
    throw new ConfigError(
      `--since ${JSON.stringify(value)} is not an ISO 8601 date or date-time (e.g. 2026-01-31T12:00:00Z)`,
    );
  return value.trim();
}
