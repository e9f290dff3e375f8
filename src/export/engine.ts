import type { ContentPreparer } from '../content/preparer.js';
import type { AppContext } from '../context.js';
import { AtlasError, coerceError } from '../errors.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store, TemplateLockRelease, WatermarkStatus } from '../store/types.js';
import { runHandedOff } from './handoff.js';
import { InFlightIds } from './in-flight-ids.js';
import { type ExportJob, templateJobOf } from './jobs.js';
import { dryRunSink, storeSink, withAfterWrite, withLockGuard } from './sink.js';
import type { StateReader } from './state.js';
import { runStatusOf, toRunRecord } from './summary.js';
import { exportTemplate } from './template-export.js';
import { type ExportSummary, emptyCounts, type ProgressSink, type TemplateSummary } from './types.js';

/** Where a run's batches go. */
export type ExportTarget =
  /** Written to the store, one transaction per batch; what is stored is read from it. */
  | { dryRun: false; store: Store }
  /**
   * Nothing is written (`--dry-run`, `export.dry_run` or `anonymization.dry_run`): what the store would do
   * is counted from `state` (the store, or an empty view of a database without Atlas's tables).
   */
  | { dryRun: true; state: StateReader };

export interface EngineDeps {
  client: OpenEhrClient;
  target: ExportTarget;
  content: ContentPreparer;
  progress: ProgressSink;
  now?: () => number;
  /** Called after each committed batch (e.g. to flush the anonymisation audit log in step with the data). */
  afterWrite?: () => Promise<void>;
  /** Extra facts recorded in the run row's details (e.g. the anonymisation key fingerprint). */
  runDetails?: Record<string, unknown>;
}

/**
 * The export run: templates in order (each under its advisory lock), each exported by `exportTemplate`; a
 * template starts as soon as the one before it has fetched its last composition (`runHandedOff`). A run row
 * records what was asked and what happened. A typed error (authentication, connection, database) stops the
 * run (no further template starts; one already started finishes); a template that fails otherwise is
 * reported and the run goes on with the next template. The caller prints the summary and maps it to the
 * exit code.
 */
export async function runExport(
  ctx: Pick<AppContext, 'logger' | 'signal' | 'observer'>,
  deps: EngineDeps,
  job: ExportJob,
): Promise<ExportSummary> {
  const { logger, signal } = ctx;
  const { target } = deps;
  const now = deps.now ?? Date.now;
  const started = now();
  const { templateIds } = job;
  const store = target.dryRun ? undefined : target.store;
  const state: StateReader = target.dryRun ? target.state : target.store;
  const runId = store ? await store.startRun({ mode: job.mode, templateIds, dryRun: false }) : 0;
  const sink = withAfterWrite(
    store ? storeSink(store, job.writeRetry, logger, signal, ctx.observer) : dryRunSink(state),
    deps.afterWrite,
  );
  // Indexed by the template's place in the configuration: two templates can overlap (see runHandedOff).
  const results: Array<TemplateSummary | undefined> = [];
  let fatal: Error | undefined;
  const inFlight = new InFlightIds();
  const exportOne = async (index: number, handOff: () => void): Promise<void> => {
    const templateId = templateIds[index]!;
    const templateJob = templateJobOf(job, templateId, runId);
    const tlog = logger.child({ templateId });
    tlog.info({ mode: job.mode, dryRun: target.dryRun }, 'exporting template');
    let release: TemplateLockRelease | undefined;
    try {
      release = store ? await store.lockTemplate(templateId, job.lockMode, signal) : undefined;
    } catch (err) {
      if (signal.aborted) return;
      results[index] = lockRefused(templateId, err);
      if (err instanceof AtlasError) fatal ??= err;
      return;
    }
    try {
      const outcome = await exportTemplate(
        {
          logger: tlog,
          client: deps.client,
          state,
          sink: withLockGuard(sink, release?.lost),
          content: deps.content,
          progress: deps.progress,
          signal,
          now,
          onFetched: handOff,
          inFlight,
        },
        templateJob,
      );
      results[index] = outcome.summary;
      if (outcome.fatal instanceof AtlasError) fatal ??= outcome.fatal;
      if (store) {
        await store.finishTemplate(runId, templateId, watermarkStatusOf(outcome.summary));
        const whole =
          templateJob.ehrIds.length === 0 &&
          !templateJob.until &&
          outcome.summary.status.startsWith('completed');
        if (whole) await store.settleWatermarks(runId, templateId);
      }
    } finally {
      // Never throws: an unlock on a dead connection is ignored (the server dropped the lock already).
      await release?.().catch((err: unknown) =>
        tlog.debug({ err: { message: coerceError(err).message } }, 'template unlock failed'),
      );
    }
  };
  try {
    await runHandedOff(
      templateIds.map((_, i) => i),
      exportOne,
      () => signal.aborted || fatal !== undefined,
    );
  } catch (err) {
    const error = coerceError(err);
    // Another template's typed error may have been recorded first; this one must not vanish.
    if (fatal && fatal !== error) logger.error({ err: error.message }, 'template export failed');
    fatal ??= error;
  } finally {
    deps.progress.stop();
  }
  const templates = results.filter((t): t is TemplateSummary => t !== undefined);
  const summary: ExportSummary = {
    ...(store ? { runId } : {}),
    mode: job.mode,
    dryRun: target.dryRun,
    reconcile: job.reconcile,
    status: runStatusOf(templates, signal.aborted, fatal),
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
    templates,
    governor: deps.client.governor(),
    ...(fatal
      ? { error: { message: fatal.message, exitCode: fatal instanceof AtlasError ? fatal.exitCode : 1 } }
      : {}),
  };
  if (store) {
    try {
      const record = toRunRecord(summary);
      await store.finishRun(runId, {
        ...record,
        details: { ...(record.details as object), ...deps.runDetails },
      });
    } catch (err) {
      logger.error({ runId, err: coerceError(err).message }, 'could not record the end of the run');
    }
  }
  return summary;
}

function watermarkStatusOf(t: TemplateSummary): Exclude<WatermarkStatus, 'not_started'> {
  if (t.status === 'interrupted') return 'interrupted';
  if (t.status === 'failed') return 'failed';
  return 'completed';
}

function lockRefused(templateId: string, err: unknown): TemplateSummary {
  return {
    templateId,
    status: 'skipped',
    counts: emptyCounts(),
    failures: [],
    error: coerceError(err).message,
  };
}
