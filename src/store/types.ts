/**
 * The store seam: PostgreSQL (store/postgres) and the embedded database (store/embedded, PGlite) implement
 * the same interface with the same SQL and migrations. Row rules (docs/architecture.md):
 *  - `compositions.id` = versioned-object id (uuid before the first `::`), stable across versions;
 *  - `compositions.composition_uid` = the full version uid of the stored version (`uuid::system::n`);
 *  - `watermarks.id` = `{template_id}::{ehr_id}`.
 */

import type { CommitOrder } from './commit-order.js';

/** What a command will do with the store once open: read-only commands need SELECT only. */
export type StoreAccess = 'read' | 'write';

export interface MigrateAccess {
  access?: StoreAccess;
}

/** What happens to the row of a composition gone from the source. */
export type DeletionPolicy = 'mark' | 'delete';
/** A second exporter on the same template: wait for its lock or fail at once. */
export type LockMode = 'wait' | 'fail';
/** Which time a template cursor orders by (the discovery mode it was taken in). */
export type CursorMode = 'commit_time' | 'clinical_time';

/** Every watermark status, in the order `atlas status` lists them. */
export const WATERMARK_STATUSES = [
  'in_progress',
  'completed',
  'failed',
  'interrupted',
  'not_started',
] as const;
export type WatermarkStatus = (typeof WATERMARK_STATUSES)[number];

export interface CompositionRow {
  id: string;
  ehrId: string;
  compositionUid: string;
  templateId: string;
  /** ISO-8601 commit time (or clinical time in the fallback discovery). */
  timeCommitted: string;
  /** Serialised JSON of the content (already transformed and, if configured, anonymised). */
  contentJson: string;
  exportMode: 'preserve' | 'flatten';
  checksum: string;
}

export interface FailureRecord {
  /** Versioned-object id. */
  id: string;
  templateId: string;
  ehrId: string;
  compositionUid: string;
  timeCommitted: string;
  reason: string;
}

export interface StoredVersion {
  id: string;
  ehrId: string;
  compositionUid: string;
  checksum: string | null;
  deleted: boolean;
}

export interface TemplateCursor {
  templateId: string;
  time: string;
  uid: string;
  mode: CursorMode;
}

/**
 * Releases a template lock. `lost` (when the lock can be lost: PostgreSQL's advisory lock lives on its own
 * connection) is aborted when that connection dies, with the reason as its reason.
 */
export type TemplateLockRelease = (() => Promise<void>) & { readonly lost?: AbortSignal };

/** Thrown by a batch of a template whose lock was lost: the batch rolled back, the template stops. */
export class TemplateLockLostError extends Error {
  constructor(templateId: string, reason: string) {
    super(
      `the lock of template ${JSON.stringify(templateId)} was lost (${reason}); its export stopped, the batch in flight rolled back`,
    );
    this.name = 'TemplateLockLostError';
  }
}

export interface BatchWrite {
  runId: number;
  templateId: string;
  /** Upserted by id; a row whose composition_uid and checksum are unchanged is left alone. */
  compositions: CompositionRow[];
  /** Compositions gone from the source: marked deleted (or removed when `deletions = "delete"`). */
  deletions: Array<{ id: string; ehrId: string }>;
  deletionPolicy: DeletionPolicy;
  /** Compositions that failed for good in this batch (attempts are incremented on repeat). */
  failures: FailureRecord[];
  /** Failure records to clear (the composition succeeded, was deleted or is gone). */
  resolvedFailureIds: string[];
  /** New cursor for the template, committed with the data; omitted = unchanged. */
  cursor?: TemplateCursor;
  /** Aborted when the template's lock is lost: checked just before COMMIT, so such a batch rolls back. */
  lockLost?: AbortSignal;
}

export interface BatchResult {
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  /** Compositions the database refused (recorded in failed_compositions with the reason; the rest committed). */
  refused?: FailureRecord[];
}

export interface RunSummaryRecord {
  status: 'completed' | 'completed_with_failures' | 'failed' | 'interrupted';
  compositionsWritten: number;
  compositionsUnchanged: number;
  compositionsDeleted: number;
  compositionsFailed: number;
  error?: string;
  details?: unknown;
}

export interface WatermarkRow {
  id: string;
  templateId: string;
  ehrId: string;
  lastExportedTimestamp: string | null;
  lastExportedCompositionUid: string | null;
  compositionsExportedCount: number;
  lastExportStartedAt: string | null;
  lastExportCompletedAt: string | null;
  lastExportStatus: WatermarkStatus;
}

export interface TemplateStatusRow {
  templateId: string;
  cursor: TemplateCursor | null;
  live: number;
  deleted: number;
  failures: number;
  ehrs: number;
  lastRun: { id: number; startedAt: string; finishedAt: string | null; status: string } | null;
}

export interface Store {
  readonly kind: 'postgresql' | 'embedded';
  /**
   * Applies pending migrations (locked, ledgered); refuses drift and newer databases. `access` is what the
   * caller does afterwards (default 'write'): 'read' checks only SELECT, so a read-only role is accepted.
   */
  migrate(opts?: MigrateAccess): Promise<void>;

  startRun(input: { mode: string; templateIds: string[]; dryRun: boolean }): Promise<number>;
  finishRun(runId: number, summary: RunSummaryRecord): Promise<void>;

  /**
   * Exclusive right to export one template (advisory lock held on a dedicated connection until released).
   * mode `fail`: throws a clear error if another exporter holds it; `wait`: blocks until free or aborted.
   */
  lockTemplate(templateId: string, mode: LockMode, signal?: AbortSignal): Promise<TemplateLockRelease>;

  getCursor(templateId: string): Promise<TemplateCursor | null>;
  /** Stored state of these versioned-object ids (to skip unchanged versions without fetching them). */
  getStoredVersions(ids: string[]): Promise<Map<string, StoredVersion>>;
  /** Whether any row (live or marked deleted) of the template is stored. */
  hasStoredRows(templateId: string): Promise<boolean>;
  pendingFailures(templateId: string): Promise<FailureRecord[]>;

  /**
   * One transaction: compositions, watermarks, failures and the cursor commit together or not at all. With
   * `order` the batch may be written while the one before it is in flight (see CommitOrder).
   */
  writeBatch(batch: BatchWrite, order?: CommitOrder): Promise<BatchResult>;
  /**
   * How many batches of a template may be in flight at once: 2 on PostgreSQL with a pool of at least 4
   * connections (one writing its rows while the other commits), else 1 (the embedded database has one).
   */
  readonly writesInFlight: number;
  /** Sets the status of the template's watermarks touched by this run (completed / failed / interrupted). */
  finishTemplate(
    runId: number,
    templateId: string,
    status: Exclude<WatermarkStatus, 'not_started'>,
  ): Promise<void>;

  /**
   * After a template finished completely without an EHR filter, every EHR of it is exported up to the cursor:
   * watermarks an earlier interrupted or failed run left behind (and that this run had nothing new for) are
   * marked completed by this run, so `atlas status` does not report stale interruptions. finishTemplate only
   * touches the watermarks the run wrote.
   */
  settleWatermarks(runId: number, templateId: string): Promise<void>;
  /**
   * The anonymisation key fingerprint the latest anonymising run recorded (export_runs.details), if any: the
   * export refuses another key, which would start a second, unlinkable set of pseudonyms.
   */
  lastKeyFingerprint(): Promise<string | undefined>;

  /** Every stored composition of a template (live and deleted), in pages: reconcile and verify. */
  listStored(templateId: string, pageSize?: number): AsyncIterable<StoredVersion[]>;
  /** Stored content of some ids (verify's content comparison). */
  getContents(ids: string[]): Promise<Map<string, { contentJson: string; checksum: string | null }>>;

  templateStatus(templateIds?: string[]): Promise<TemplateStatusRow[]>;
  watermarks(filter?: {
    templateId?: string;
    ehrId?: string;
    status?: WatermarkStatus;
    limit?: number;
  }): Promise<WatermarkRow[]>;
  failures(templateId?: string): Promise<Array<FailureRecord & { attempts: number; lastFailedAt: string }>>;

  /** Arbitrary SQL for `atlas sql` and the demo's sample queries. */
  query<R = Record<string, unknown>>(
    sql: string,
    params?: unknown[],
  ): Promise<{ rows: R[]; fields: string[] }>;
  close(): Promise<void>;
}
