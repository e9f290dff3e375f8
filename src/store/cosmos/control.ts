import type { Container, OperationInput } from '@azure/cosmos';
import { ATLAS_VERSION } from '../../version.js';
import type {
  FailureRecord,
  RunSummaryRecord,
  TemplateCursor,
  WatermarkRow,
  WatermarkStatus,
} from '../types.js';
import { CosmosWriteError, runBulk } from './bulk.js';
import { statusOf } from './client.js';
import { chunk } from './documents.js';
import { controlIds } from './ids.js';

/**
 * Atlas's bookkeeping in the control container (partition key /id: every document is its own logical
 * partition, so each one is read and written with a point operation). `type` tells the kinds apart.
 */
export interface RunDocument {
  id: string;
  type: 'run';
  run_id: number;
  mode: string;
  template_ids: string[];
  dry_run: boolean;
  atlas_version: string;
  started_at: string;
  finished_at: string | null;
  status: string;
  compositions_written?: number;
  compositions_unchanged?: number;
  compositions_deleted?: number;
  compositions_failed?: number;
  error?: string | null;
  details?: unknown;
}

export interface CursorDocument {
  id: string;
  type: 'cursor';
  template_id: string;
  cursor_time: string;
  cursor_uid: string;
  discovery_mode: TemplateCursor['mode'];
  updated_at: string;
  last_run_id: number;
}

/** The original's watermark fields (same names), plus type, live count and run. */
export interface WatermarkDocument {
  id: string;
  type: 'watermark';
  template_id: string;
  ehr_id: string;
  last_exported_timestamp: string | null;
  last_exported_composition_uid: string | null;
  compositions_exported_count: number;
  live_count: number;
  last_export_started_at: string | null;
  last_export_completed_at: string | null;
  last_export_status: WatermarkStatus;
  last_run_id: number;
}

export interface FailureDocument {
  id: string;
  type: 'failure';
  template_id: string;
  composition_id: string;
  ehr_id: string;
  composition_uid: string;
  time_committed: string;
  reason: string;
  attempts: number;
  first_failed_at: string;
  last_failed_at: string;
  last_run_id: number;
}

const now = () => new Date().toISOString();

/** Point read; undefined when the document does not exist. */
export async function readDoc<T>(
  container: Container,
  id: string,
): Promise<(T & { _etag: string }) | undefined> {
  try {
    const { resource } = await container.item(id, id).read<T & { _etag: string }>();
    return resource ?? undefined;
  } catch (err) {
    if (statusOf(err) === 404) return undefined;
    throw err;
  }
}

/** Documents of the control container by id, one query per 500 ids. */
export async function readDocs<T extends { id: string }>(
  container: Container,
  ids: string[],
): Promise<Map<string, T>> {
  const out = new Map<string, T>();
  for (const part of chunk([...new Set(ids)], 500)) {
    const { resources } = await container.items
      .query<T>({
        query: 'SELECT * FROM c WHERE ARRAY_CONTAINS(@ids, c.id)',
        parameters: [{ name: '@ids', value: part }],
      })
      .fetchAll();
    for (const r of resources) out.set(r.id, r);
  }
  return out;
}

/** Upserts control documents (each keyed and partitioned by its id); any failure throws. */
export async function upsertDocs(
  container: Container,
  docs: Array<{ id: string }>,
  concurrency: number,
  what: string,
) {
  const ops: OperationInput[] = docs.map((d) => ({
    operationType: 'Upsert',
    partitionKey: d.id,
    resourceBody: d as unknown as Record<string, string>,
  }));
  const failed = (await runBulk(container, ops, concurrency)).filter((o) => o.status >= 300);
  if (failed.length > 0) throw new CosmosWriteError(what, failed);
}

export async function deleteDocs(container: Container, ids: string[], concurrency: number, what: string) {
  const ops: OperationInput[] = ids.map((id) => ({ operationType: 'Delete', id, partitionKey: id }));
  // 404: already gone (a replayed batch), which is the state asked for.
  const failed = (await runBulk(container, ops, concurrency)).filter(
    (o) => o.status >= 300 && o.status !== 404,
  );
  if (failed.length > 0) throw new CosmosWriteError(what, failed);
}

/**
 * Run ids are numbers, as on PostgreSQL: a counter document incremented with ETag optimistic concurrency
 * (two Atlas processes starting at once both retry until each got its own number).
 */
export async function startRun(
  control: Container,
  input: { mode: string; templateIds: string[]; dryRun: boolean },
): Promise<RunDocument> {
  for (let attempt = 0; ; attempt++) {
    const counter = await readDoc<{ id: string; value: number }>(control, controlIds.runCounter);
    const next = (counter?.value ?? 0) + 1;
    try {
      if (counter) {
        await control
          .item(counter.id, counter.id)
          .replace(
            { id: counter.id, value: next },
            { accessCondition: { type: 'IfMatch', condition: counter._etag } },
          );
      } else {
        await control.items.create({ id: controlIds.runCounter, value: next });
      }
    } catch (err) {
      const status = statusOf(err);
      if ((status === 412 || status === 409) && attempt < 50) continue;
      throw err;
    }
    const run: RunDocument = {
      id: controlIds.run(next),
      type: 'run',
      run_id: next,
      mode: input.mode,
      template_ids: input.templateIds,
      dry_run: input.dryRun,
      atlas_version: ATLAS_VERSION,
      started_at: now(),
      finished_at: null,
      status: 'running',
    };
    await control.items.create(run);
    return run;
  }
}

export async function finishRun(control: Container, runId: number, summary: RunSummaryRecord): Promise<void> {
  const run = await readDoc<RunDocument>(control, controlIds.run(runId));
  if (!run) throw new Error(`export run ${runId} does not exist; cannot record its outcome`);
  const { _etag, ...body } = run;
  await control.item(run.id, run.id).replace({
    ...body,
    finished_at: now(),
    status: summary.status,
    compositions_written: summary.compositionsWritten,
    compositions_unchanged: summary.compositionsUnchanged,
    compositions_deleted: summary.compositionsDeleted,
    compositions_failed: summary.compositionsFailed,
    error: summary.error ?? null,
    ...(summary.details === undefined ? {} : { details: summary.details }),
  });
}

export async function lastKeyFingerprint(control: Container): Promise<string | undefined> {
  const { resources } = await control.items
    .query<{ fp: string }>(
      "SELECT TOP 1 c.details.anonymization.keyFingerprint AS fp FROM c WHERE c.type = 'run' AND IS_STRING(c.details.anonymization.keyFingerprint) ORDER BY c.run_id DESC",
    )
    .fetchAll();
  return resources[0]?.fp;
}

export function cursorDocument(cursor: TemplateCursor, runId: number): CursorDocument {
  return {
    id: controlIds.cursor(cursor.templateId),
    type: 'cursor',
    template_id: cursor.templateId,
    cursor_time: cursor.time,
    cursor_uid: cursor.uid,
    discovery_mode: cursor.mode,
    updated_at: now(),
    last_run_id: runId,
  };
}

export async function getCursor(control: Container, templateId: string): Promise<TemplateCursor | null> {
  const doc = await readDoc<CursorDocument>(control, controlIds.cursor(templateId));
  return doc ? { templateId, time: doc.cursor_time, uid: doc.cursor_uid, mode: doc.discovery_mode } : null;
}

export function toFailureRecord(d: FailureDocument): FailureRecord {
  return {
    id: d.composition_id,
    templateId: d.template_id,
    ehrId: d.ehr_id,
    compositionUid: d.composition_uid,
    timeCommitted: d.time_committed,
    reason: d.reason,
  };
}

export async function failureDocuments(control: Container, templateId?: string): Promise<FailureDocument[]> {
  const { resources } = await control.items
    .query<FailureDocument>({
      query:
        templateId === undefined
          ? "SELECT * FROM c WHERE c.type = 'failure'"
          : "SELECT * FROM c WHERE c.type = 'failure' AND c.template_id = @t",
      parameters: templateId === undefined ? [] : [{ name: '@t', value: templateId }],
    })
    .fetchAll();
  return resources.sort(
    (a, b) =>
      a.template_id.localeCompare(b.template_id) ||
      Date.parse(a.time_committed) - Date.parse(b.time_committed) ||
      a.composition_id.localeCompare(b.composition_id),
  );
}

/** Failures of a batch: a composition failing again gets attempts + 1 and the latest reason. */
export async function upsertFailures(
  control: Container,
  failures: FailureRecord[],
  runId: number,
  concurrency: number,
): Promise<void> {
  if (failures.length === 0) return;
  const ids = failures.map((f) => controlIds.failure(f.templateId, f.id));
  const existing = await readDocs<FailureDocument>(control, ids);
  const docs = failures.map((f, i): FailureDocument => {
    const before = existing.get(ids[i]!);
    return {
      id: ids[i]!,
      type: 'failure',
      template_id: f.templateId,
      composition_id: f.id,
      ehr_id: f.ehrId,
      composition_uid: f.compositionUid,
      time_committed: f.timeCommitted,
      reason: f.reason,
      attempts: (before?.attempts ?? 0) + 1,
      first_failed_at: before?.first_failed_at ?? now(),
      last_failed_at: now(),
      last_run_id: runId,
    };
  });
  await upsertDocs(control, docs, concurrency, 'recording failed compositions');
}

export async function watermarkDocuments(
  control: Container,
  filter: { templateId?: string; ehrId?: string; status?: WatermarkStatus; runId?: number } = {},
): Promise<WatermarkDocument[]> {
  const where = ["c.type = 'watermark'"];
  const parameters: Array<{ name: string; value: string | number }> = [];
  const add = (clause: string, name: string, value: string | number | undefined) => {
    if (value === undefined) return;
    where.push(clause);
    parameters.push({ name, value });
  };
  add('c.template_id = @t', '@t', filter.templateId);
  add('c.ehr_id = @e', '@e', filter.ehrId);
  add('c.last_export_status = @s', '@s', filter.status);
  add('c.last_run_id = @r', '@r', filter.runId);
  const { resources } = await control.items
    .query<WatermarkDocument>({ query: `SELECT * FROM c WHERE ${where.join(' AND ')}`, parameters })
    .fetchAll();
  return resources.sort(
    (a, b) => a.template_id.localeCompare(b.template_id) || a.ehr_id.localeCompare(b.ehr_id),
  );
}

export function toWatermarkRow(d: WatermarkDocument): WatermarkRow {
  return {
    id: d.id,
    templateId: d.template_id,
    ehrId: d.ehr_id,
    lastExportedTimestamp: d.last_exported_timestamp,
    lastExportedCompositionUid: d.last_exported_composition_uid,
    compositionsExportedCount: d.compositions_exported_count,
    lastExportStartedAt: d.last_export_started_at,
    lastExportCompletedAt: d.last_export_completed_at,
    lastExportStatus: d.last_export_status,
  };
}

/** Rewrites watermark documents with new fields (the run's final status, settling earlier runs' marks). */
export async function updateWatermarks(
  control: Container,
  docs: WatermarkDocument[],
  change: Partial<WatermarkDocument>,
  concurrency: number,
): Promise<void> {
  const updated = docs.map((doc) => {
    // System properties (_etag, _rid, _ts, ...) are the service's; they are not sent back.
    const d = Object.fromEntries(
      Object.entries(doc).filter(([k]) => !k.startsWith('_')),
    ) as WatermarkDocument;
    return { ...d, ...change };
  });
  await upsertDocs(control, updated, concurrency, 'closing watermarks');
}
