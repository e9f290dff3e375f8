import type { DiscoveryMode } from '../openehr/types.js';
import type {
  BatchWrite,
  CompositionRow,
  DeletionPolicy,
  FailureRecord,
  TemplateCursor,
} from '../store/types.js';
import { cursorOf, laterCursor } from './cursor.js';
import type { ItemOutcome } from './types.js';

export interface BatchBuilderOptions {
  runId: number;
  templateId: string;
  deletionPolicy: DeletionPolicy;
  /** The ehr_id as stored (the keyed pseudonym when anonymization.pseudonymize_ehr_id). */
  storedEhrId: (ehrId: string) => string;
}

/** One assembled batch plus what the summary needs to know about it. */
export interface AssembledBatch {
  write: BatchWrite;
  /** Versions skipped without a GET (already stored). */
  skipped: number;
  /** Records the batch covers (skipped, written, gone or failed). */
  records: number;
  /** The last record's cursor position, whether or not this batch may move the cursor. */
  lastPosition?: TemplateCursor;
}

/**
 * Collects item outcomes in discovery order and cuts them into store batches. A batch carries its rows,
 * deletions, failures, the failure records it resolves and (when allowed) the new cursor: all of it
 * commits in one transaction, so the cursor never covers a composition that was neither written nor
 * recorded as failed. It alone keeps the set of open failure records (pending from earlier runs or
 * recorded earlier in this run), which decides what a batch resolves.
 */
export class BatchBuilder {
  private readonly openFailures = new Set<string>();
  private rows: CompositionRow[] = [];
  private deletions: Array<{ id: string; ehrId: string }> = [];
  private failures = new Map<string, FailureRecord>();
  private resolved = new Set<string>();
  private skipped = 0;
  private records = 0;
  private last?: TemplateCursor;

  constructor(private readonly opts: BatchBuilderOptions) {}

  get size(): number {
    return this.records;
  }

  /** The cursor position of the last record added since the last cut. */
  get lastPosition(): TemplateCursor | undefined {
    return this.last;
  }

  /** Ids of the failure records open right now. */
  get openFailureIds(): ReadonlySet<string> {
    return this.openFailures;
  }

  /** Failure records of earlier runs: open until a batch resolves them. */
  markOpen(ids: Iterable<string>): void {
    for (const id of ids) this.openFailures.add(id);
  }

  /** Stored rows found gone from the source (reconcile); each resolves its open failure record, if any. */
  addDeletions(deletions: Array<{ id: string; ehrId: string }>): void {
    for (const d of deletions) {
      this.deletions.push(d);
      this.resolve(d.id);
    }
  }

  add(outcome: ItemOutcome, mode: DiscoveryMode): void {
    const { record } = outcome;
    this.records++;
    this.last = cursorOf(this.opts.templateId, record, mode);
    switch (outcome.kind) {
      case 'skipped':
        this.skipped++;
        this.resolve(record.objectId);
        return;
      case 'row':
        this.rows.push(outcome.row);
        this.resolve(record.objectId);
        return;
      case 'gone':
        this.deletions.push({ id: record.objectId, ehrId: this.opts.storedEhrId(record.ehrId) });
        this.resolve(record.objectId);
        return;
      case 'failed':
        // An id resolved and failing again in one batch is a failure: the store must not see both.
        this.resolved.delete(record.objectId);
        this.failures.set(record.objectId, {
          id: record.objectId,
          templateId: this.opts.templateId,
          ehrId: this.opts.storedEhrId(record.ehrId),
          compositionUid: record.uid,
          timeCommitted: record.time,
          reason: outcome.reason,
        });
        this.openFailures.add(record.objectId);
        return;
    }
  }

  private resolve(id: string): void {
    this.failures.delete(id);
    if (this.openFailures.delete(id)) this.resolved.add(id);
  }

  /** Hands out the collected batch and starts a new one. `cursor`: the template's new cursor, if any. */
  cut(cursor?: TemplateCursor): AssembledBatch {
    const batch: AssembledBatch = {
      write: {
        runId: this.opts.runId,
        templateId: this.opts.templateId,
        compositions: this.rows,
        deletions: this.deletions,
        deletionPolicy: this.opts.deletionPolicy,
        failures: [...this.failures.values()],
        resolvedFailureIds: [...this.resolved],
        ...(cursor ? { cursor } : {}),
      },
      skipped: this.skipped,
      records: this.records,
      lastPosition: this.last,
    };
    this.rows = [];
    this.deletions = [];
    this.failures = new Map();
    this.resolved = new Set();
    this.skipped = 0;
    this.records = 0;
    this.last = undefined;
    return batch;
  }

  /** The cursor a batch ending at `position` gives, never behind `current`. */
  static advance(
    current: TemplateCursor | null,
    position: TemplateCursor | undefined,
  ): TemplateCursor | null {
    return position ? laterCursor(current, position) : current;
  }
}
