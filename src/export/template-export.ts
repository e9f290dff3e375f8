import { coerceError } from '../errors.js';
import type { DiscoveryMode } from '../openehr/types.js';
import type { BatchResult, FailureRecord, TemplateCursor } from '../store/types.js';
import { chunks } from '../util/chunks.js';
import { TemplateAqlFetch } from './aql-fetch.js';
import { type AssembledBatch, BatchBuilder } from './batch-builder.js';
import { DiscoveredIds } from './discovered-ids.js';
import { type CompletedDiscovery, listsEveryLiveComposition } from './discovery.js';
import { FailureTally } from './failure-tally.js';
import { mapOrdered } from './ordered-map.js';
import { processRecord } from './process-record.js';
import { findDeletions, type ReconcileStart, reconcileFindsNothing } from './reconcile.js';
import type { TemplateDeps, TemplateJob } from './template-job.js';
import { emptyCounts, type ItemOutcome, type TemplateSummary } from './types.js';
import { discoveryPages, failurePages, type PipelineItem } from './work-pages.js';
import { WriteQueue } from './write-queue.js';

interface Processed {
  outcome: ItemOutcome;
  mode: DiscoveryMode;
  advance: boolean;
}

/** The result of one template: its summary, and the error that must stop the whole run, if any. */
export interface TemplateOutcome {
  summary: TemplateSummary;
  fatal?: Error;
}

/**
 * One template's export: retry recorded failures first, then discover → fetch (bounded concurrency,
 * ordered) → batch → write (depth-one queue, so fetching page N+1 overlaps writing page N), then, in full
 * mode or with --reconcile, look for deletions. Any error stops the template; the write in flight is
 * always allowed to finish, and an unfinished batch is discarded (it is redone by the next run).
 */
export async function exportTemplate(deps: TemplateDeps, job: TemplateJob): Promise<TemplateOutcome> {
  return new TemplateExport(deps, job).run();
}

class TemplateExport {
  private readonly counts = emptyCounts();
  private readonly failing = new FailureTally();
  private readonly builder: BatchBuilder;
  private readonly queue: WriteQueue;
  private cursor: TemplateCursor | null = null;
  private unsavedCursor: TemplateCursor | undefined;
  private lastCut: number;
  private knownTotal: number | undefined;
  private mode: DiscoveryMode | undefined;
  /**
   * Object ids the discovery listed, kept only when a reconcile follows and may use them (it stands in for
   * the listing); a first export's reconcile never does (reconcileFindsNothing, or a separate listing).
   */
  private discovered: DiscoveredIds | undefined;
  private completedScan: CompletedDiscovery | undefined;
  /** Whether the template had stored rows when its export started (it is locked, so no one else adds any). */
  private storedBefore = true;
  private retriedFailures = false;
  /** fetch = "aql": the local conversion and its checks (undefined in composition mode). */
  private aql: TemplateAqlFetch | undefined;

  constructor(
    private readonly deps: TemplateDeps,
    private readonly job: TemplateJob,
  ) {
    this.builder = new BatchBuilder({
      runId: job.runId,
      templateId: job.templateId,
      deletionPolicy: job.deletionPolicy,
      storedEhrId: (id) => deps.content.storedEhrId(id),
    });
    this.queue = new WriteQueue(deps.sink, (batch, result) => this.written(batch, result), deps.inFlight);
    this.lastCut = deps.now();
  }

  async run(): Promise<TemplateOutcome> {
    const { state, signal, progress } = this.deps;
    let error: Error | undefined;
    try {
      this.cursor = await state.getCursor(this.job.templateId);
      const pending = await state.pendingFailures(this.job.templateId);
      this.retriedFailures = pending.length > 0;
      this.builder.markOpen(pending.map((f) => f.id));
      for (const f of pending) this.failing.add(f);
      this.storedBefore = await state.hasStoredRows(this.job.templateId);
      // Kept only if the reconcile could use them: not when it finds nothing even after a complete discovery.
      if (this.job.reconcile && !reconcileFindsNothing(this.reconcileStart(true)))
        this.discovered = new DiscoveredIds();
      this.knownTotal = this.job.mode === 'full' ? await this.countLive() : undefined;
      progress.templateStarted(this.job.templateId, this.knownTotal);
      if (this.job.fetch === 'aql') {
        this.aql = new TemplateAqlFetch(
          this.deps.client,
          this.deps.logger,
          this.job.templateId,
          this.job.flatCheckInterval,
        );
        await this.aql.start(signal);
      }
      await this.retryFailures(pending);
      if (!signal.aborted) await this.discover();
      if (!signal.aborted && this.unsavedCursor) await this.pushCursorOnly(this.unsavedCursor);
      if (!signal.aborted) this.deps.onFetched?.();
      if (!signal.aborted && this.job.reconcile) await this.reconcile();
    } catch (err) {
      error = coerceError(err);
    }
    try {
      await this.queue.drain();
    } catch (err) {
      error ??= coerceError(err);
    }
    return this.finish(signal.aborted ? undefined : error);
  }

  private finish(error: Error | undefined): TemplateOutcome {
    const failures = this.failing.list();
    this.counts.failed = this.failing.count;
    const status = this.deps.signal.aborted
      ? 'interrupted'
      : error
        ? 'failed'
        : this.failing.count > 0
          ? 'completed_with_failures'
          : 'completed';
    this.deps.progress.templateFinished(this.job.templateId, status);
    const summary: TemplateSummary = {
      templateId: this.job.templateId,
      status,
      discoveryMode: this.mode,
      counts: this.counts,
      failures,
      ...(this.aql ? { fetch: this.aql.report() } : {}),
      ...(error ? { error: error.message } : {}),
    };
    return error ? { summary, fatal: error } : { summary };
  }

  private async countLive(): Promise<number | undefined> {
    try {
      return await this.deps.client.countLive(this.job.templateId, this.deps.signal);
    } catch (err) {
      this.deps.logger.debug({ err: coerceError(err).message }, 'count of live compositions unavailable');
      return undefined;
    }
  }

  /** Records that failed in earlier runs, retried before anything else (in batches without a cursor). */
  private async retryFailures(pending: FailureRecord[]): Promise<void> {
    if (pending.length === 0) return;
    await this.consume(failurePages(this.deps, this.job, pending), true);
    if (!this.deps.signal.aborted && this.builder.size > 0) await this.cut(false);
  }

  private async discover(): Promise<void> {
    const pages = discoveryPages(this.deps, this.job, {
      cursor: this.cursor,
      onMode: (mode) => {
        this.mode = mode;
      },
      onComplete: (scan) => {
        this.completedScan = scan;
      },
      storedBefore: this.storedBefore,
      ...(this.aql
        ? {
            withComposition: () => this.aql?.active ?? false,
            onPage: (records, needed) => this.aql?.preparePage(records, needed),
          }
        : {}),
    });
    await this.consume(pages, false);
  }

  private async consume(source: AsyncIterable<PipelineItem[]>, retrying: boolean): Promise<void> {
    const { client, content, signal, now, progress } = this.deps;
    const fn = async (item: PipelineItem): Promise<Processed> => {
      if (!retrying) this.discovered?.add(item.record.objectId);
      if (item.outcome) return { outcome: item.outcome, mode: item.mode, advance: item.advance };
      const outcome = await processRecord(client, content, item.record, signal, this.aql);
      this.counts.fetched++;
      return { outcome, mode: item.mode, advance: item.advance };
    };
    // The client's governor bounds the fetches in flight (adaptive, at most parallel_ehrs) and holds a slot
    // only for an exchange, not for a retry's backoff. The pool must not bound them to the same number: a
    // task waiting to be retried would then keep a slot idle. It starts up to 16 times as many (within the
    // page read ahead): under 8.5% failures with a one-second backoff about 75 wait at a time at 900 GETs/s,
    // and every task started early costs memory and a place in the governor's queue.
    const results = mapOrdered(source, fn, {
      concurrency: Math.min(this.job.pageSize, this.job.concurrency * 16),
      maxAhead: this.job.pageSize,
    });
    for await (const { value, lastOfPage } of results) {
      if (signal.aborted) break;
      this.builder.add(value.outcome, value.mode);
      if (retrying) this.counts.retried++;
      else this.counts.discovered++;
      const done = this.counts.discovered + this.counts.retried;
      progress.templateProgress(this.job.templateId, done, Math.max(this.knownTotal ?? 0, done));
      const due = now() - this.lastCut >= this.job.checkpointIntervalMs;
      if (!retrying && (lastOfPage || due)) await this.cut(value.advance);
    }
  }

  /**
   * Cuts the collected outcomes into a batch and queues it. The cursor moves only when allowed, to the last
   * record's position; with checkpointing off it is kept back and saved after the template's last batch.
   */
  private async cut(advance: boolean): Promise<void> {
    let batchCursor: TemplateCursor | undefined;
    if (advance) {
      const next = BatchBuilder.advance(this.cursor, this.builder.lastPosition);
      if (next && next !== this.cursor) {
        if (this.job.enableCheckpointing) batchCursor = next;
        else this.unsavedCursor = next;
        this.cursor = next;
      }
    }
    const batch = this.builder.cut(batchCursor);
    this.lastCut = this.deps.now();
    const w = batch.write;
    const empty =
      w.compositions.length + w.deletions.length + w.failures.length + w.resolvedFailureIds.length === 0 &&
      !w.cursor;
    if (empty) this.written(batch, { inserted: 0, updated: 0, unchanged: 0, deleted: 0 });
    else await this.queue.push(batch);
  }

  /** With checkpointing off, the cursor is saved once, after the template's last batch. */
  private async pushCursorOnly(cursor: TemplateCursor): Promise<void> {
    await this.queue.push(this.builder.cut(cursor));
  }

  private reconcileStart(completeDiscovery: boolean): ReconcileStart {
    return { storedBefore: this.storedBefore, retriedFailures: this.retriedFailures, completeDiscovery };
  }

  private async reconcile(): Promise<void> {
    const { client, state, signal, content } = this.deps;
    // Compare with what is committed: a batch still in flight would otherwise look missing.
    await this.queue.drain();
    const complete = listsEveryLiveComposition(this.completedScan);
    if (reconcileFindsNothing(this.reconcileStart(complete))) {
      this.discovered?.release();
      return;
    }
    const filter =
      this.job.ehrIds.length > 0 ? new Set(this.job.ehrIds.map((id) => content.storedEhrId(id))) : undefined;
    // A discovery that listed every live composition already is the live set: listing it again from the
    // source would cost a second pass of AQL pages (about a tenth of a full export's time, measured).
    const live = complete ? this.discovered?.ids() : undefined;
    const gone = await findDeletions(client, state, this.job.templateId, {
      pageSize: this.job.pageSize,
      signal,
      storedEhrFilter: filter,
      ...(live ? { live } : {}),
    });
    this.discovered?.release();
    for (const chunk of chunks(gone, this.job.pageSize)) {
      if (signal.aborted) return;
      this.builder.addDeletions(chunk);
      await this.queue.push(this.builder.cut());
    }
  }

  /** Called once a batch committed (or, in a dry run, was counted): the summary follows the store. */
  private written(batch: AssembledBatch, result: BatchResult): void {
    this.counts.inserted += result.inserted;
    this.counts.updated += result.updated;
    this.counts.unchanged += result.unchanged + batch.skipped;
    this.counts.deleted += result.deleted;
    for (const f of batch.write.failures) this.failing.add(f);
    for (const id of batch.write.resolvedFailureIds) this.failing.resolve(id);
    // After the resolutions: a retried failure the database refused again is failing still.
    for (const f of result.refused ?? []) this.failing.add(f);
  }
}
