import type { Logger } from '../../context.js';
import type { CommitOrder } from '../commit-order.js';
import type {
  BatchResult,
  BatchWrite,
  FailureRecord,
  LockMode,
  MigrateAccess,
  RunSummaryRecord,
  SnapshotReader,
  Store,
  StoredVersion,
  TemplateCursor,
  TemplateStatusRow,
  WatermarkRow,
  WatermarkStatus,
} from '../types.js';
import type { CompositionWriter } from './composition-upsert.js';
import { getCursor } from './cursors.js';
import { listFailures, pendingFailures } from './failures.js';
import { readSnapshot } from './read-snapshot.js';
import type { RunLiveness } from './run-liveness.js';
import { finishRun, lastKeyFingerprint, startRun } from './runs.js';
import type { SqlContext } from './sql-context.js';
import { listWatermarks, templateStatus } from './status-queries.js';
import { getContents, getStoredVersions, hasStoredRows, listStored } from './verify-queries.js';
import { finishTemplate, settleWatermarks } from './watermarks-write.js';
import { writeBatch } from './write-batch.js';

/** Two templates × two batches in flight, each holding one connection. */
const MIN_CONNECTIONS_FOR_TWO_IN_FLIGHT = 4;

/** What differs between the PostgreSQL and the embedded store; everything else is the same SQL. */
export interface SqlStoreParts {
  kind: Store['kind'];
  sql: SqlContext;
  writer: CompositionWriter;
  /** Connections the pool may open (the embedded database has exactly one). */
  maxConnections: number;
  migrate(opts?: MigrateAccess): Promise<void>;
  lockTemplate: Store['lockTemplate'];
  /** Tells runs in progress from runs whose process died (see run-liveness.ts). */
  runs: RunLiveness;
  logger: Logger;
  /** Releases everything the store opened (pool, database, lock file), in reverse order. */
  close(): Promise<void>;
}

/** The Store over any node-postgres pool: real PostgreSQL or PGlite through its in-process adapter. */
export class SqlStore implements Store {
  readonly kind: Store['kind'];
  readonly writesInFlight: number;
  readonly #parts: SqlStoreParts;
  #closed = false;

  constructor(parts: SqlStoreParts) {
    this.kind = parts.kind;
    // A batch waiting for the one before it holds a connection. Two overlapping templates can have four
    // batches in flight; with fewer connections, retries after an outage could leave the waiting batches
    // holding every connection while the ones they wait for queue for one.
    this.writesInFlight = parts.maxConnections >= MIN_CONNECTIONS_FOR_TWO_IN_FLIGHT ? 2 : 1;
    this.#parts = parts;
  }

  get sql(): SqlContext {
    return this.#parts.sql;
  }

  migrate(opts?: MigrateAccess): Promise<void> {
    return this.#parts.migrate(opts);
  }

  async initialised(): Promise<boolean> {
    const { rows } = await this.sql.pool.query<{ migrated: boolean }>(
      `SELECT to_regclass(format('%I.%I', $1::text, 'export_cursors')) IS NOT NULL AS migrated`,
      [this.sql.schema],
    );
    return rows[0]?.migrated === true;
  }

  async describeServer(): Promise<string> {
    const { rows } = await this.sql.pool.query<{ version: string }>('select version() as version');
    return `connected (${rows[0]?.version.split(' ').slice(0, 2).join(' ') ?? 'PostgreSQL'})`;
  }

  startRun(input: { mode: string; templateIds: string[]; dryRun: boolean }): Promise<number> {
    return startRun(this.sql, this.#parts.runs, this.#parts.logger, input);
  }

  async finishRun(runId: number, summary: RunSummaryRecord): Promise<void> {
    try {
      await finishRun(this.sql, runId, summary);
    } finally {
      await this.#parts.runs.finish(runId);
    }
  }

  lockTemplate(templateId: string, mode: LockMode, signal?: AbortSignal): Promise<() => Promise<void>> {
    return this.#parts.lockTemplate(templateId, mode, signal);
  }

  getCursor(templateId: string): Promise<TemplateCursor | null> {
    return getCursor(this.sql, templateId);
  }

  getStoredVersions(ids: string[]): Promise<Map<string, StoredVersion>> {
    return getStoredVersions(this.sql, ids);
  }

  hasStoredRows(templateId: string): Promise<boolean> {
    return hasStoredRows(this.sql, templateId);
  }

  pendingFailures(templateId: string): Promise<FailureRecord[]> {
    return pendingFailures(this.sql, templateId);
  }

  writeBatch(batch: BatchWrite, order?: CommitOrder): Promise<BatchResult> {
    return writeBatch(this.sql, this.#parts.writer, batch, order);
  }

  finishTemplate(
    runId: number,
    templateId: string,
    status: Exclude<WatermarkStatus, 'not_started'>,
  ): Promise<void> {
    return finishTemplate(this.sql, runId, templateId, status);
  }

  settleWatermarks(runId: number, templateId: string): Promise<void> {
    return settleWatermarks(this.sql, runId, templateId);
  }

  lastKeyFingerprint(): Promise<string | undefined> {
    return lastKeyFingerprint(this.sql);
  }

  listStored(templateId: string, pageSize?: number): AsyncIterable<StoredVersion[]> {
    return listStored(this.sql, templateId, pageSize);
  }

  getContents(ids: string[]): Promise<Map<string, { contentJson: string; checksum: string | null }>> {
    return getContents(this.sql, ids);
  }

  templateStatus(templateIds?: string[]): Promise<TemplateStatusRow[]> {
    return templateStatus(this.sql, templateIds);
  }

  watermarks(filter?: {
    templateId?: string;
    ehrId?: string;
    status?: WatermarkStatus;
    limit?: number;
  }): Promise<WatermarkRow[]> {
    return listWatermarks(this.sql, filter);
  }

  failures(templateId?: string): Promise<Array<FailureRecord & { attempts: number; lastFailedAt: string }>> {
    return listFailures(this.sql, templateId);
  }

  readSnapshot<T>(fn: (reader: SnapshotReader) => Promise<T>): Promise<T> {
    return readSnapshot(this.sql, fn);
  }

  async query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; fields: string[] }> {
    const result = await this.sql.pool.query(sql, params);
    // Several statements without parameters come back as one result each; the last one is what psql shows.
    const last = Array.isArray(result) ? (result.at(-1) as typeof result) : result;
    return { rows: (last?.rows ?? []) as R[], fields: (last?.fields ?? []).map((f) => f.name) };
  }

  /** Idempotent: a second close is a no-op. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.#parts.runs.close();
    } finally {
      await this.#parts.close();
    }
  }
}
