import type { AppContext } from '../context.js';
import { AtlasError } from '../errors.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store, WatermarkStatus } from '../store/types.js';
import { runHandedOff } from './handoff.js';
import { InFlightIds } from './in-flight-ids.js';
import { jobFor } from './jobs.js';
import type { ContentPreparer } from './process-record.js';
import { dryRunSink, storeSink, withAfterWrite } from './sink.js';
import type { StateReader } from './state.js';
import { runStatusOf, toRunRecord } from './summary.js';
import { exportTemplate } from './template-export.js';
import type { ExportSummary, ProgressSink, TemplateSummary } from './types.js';

export interface ExportRequest {
  /** Incremental run that also checks for deletions (full runs always do). */
  reconcile: boolean;
  /** Nothing is written: `--dry-run`, `export.dry_run` or `anonymization.dry_run`. */
  dryRun: boolean;
}

export interface EngineDeps {
  client: OpenEhrClient;
  /** Absent in a dry run: nothing is written. */
  store?: Store;
  /** What is stored (the store itself, or an empty view of an unmigrated database in a dry run). */
  state: StateReader;
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
  ctx: AppContext,
  deps: EngineDeps,
  req: ExportRequest,
): Promise<ExportSummary> {
  const { config, logger, signal } = ctx;
  const now = deps.now ?? Date.now;
  const started = now();
  const templateIds = config.openehr.query.templateIds;
  const store = req.dryRun ? undefined : deps.store;
  if (!req.dryRun && !store) throw new Error('runExport: a store is required unless dry-running');
  const runId = store ? await store.startRun({ mode: config.export.mode, templateIds, dryRun: false }) : 0;
  const retry = { maxRetries: config.export.maxRetries, backoffMs: config.export.retryBackoffMs };
  const sink = withAfterWrite(
    store ? storeSink(store, retry, logger, signal, ctx.observer) : dryRunSink(deps.state),
    deps.afterWrite,
  );
  // Indexed by the template's place in the configuration: two templates can overlap (see runHandedOff).
  const results: Array<TemplateSummary | undefined> = [];
  let fatal: Error | undefined;
  const inFlight = new InFlightIds();
  const exportOne = async (index: number, handOff: () => void): Promise<void> => {
    const templateId = templateIds[index]!;
    const job = jobFor(config, templateId, runId, req);
    const tlog = logger.child({ templateId });
    tlog.info({ mode: job.mode, dryRun: req.dryRun }, 'exporting template');
    let release: (() => Promise<void>) | undefined;
    try {
      release = store ? await store.lockTemplate(templateId, config.export.lockMode, signal) : undefined;
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
          state: deps.state,
          sink,
          content: deps.content,
          progress: deps.progress,
          signal,
          now,
          onFetched: handOff,
          inFlight,
        },
        job,
      );
      results[index] = outcome.summary;
      if (outcome.fatal instanceof AtlasError) fatal ??= outcome.fatal;
      if (store) {
        await store.finishTemplate(runId, templateId, watermarkStatusOf(outcome.summary));
        const whole = job.ehrIds.length === 0 && !job.until && outcome.summary.status.startsWith('completed');
        if (whole) await store.settleWatermarks(runId, templateId);
      }
    } finally {
      await release?.();
    }
  };
  try {
    await runHandedOff(
      templateIds.map((_, i) => i),
      exportOne,
      () => signal.aborted || fatal !== undefined,
    );
  } catch (err) {
    const error = err instanceof Error ? err : new Error(String(err));
    // Another template's typed error may have been recorded first; this one must not vanish.
    if (fatal && fatal !== error) logger.error({ err: error.message }, 'template export failed');
    fatal ??= error;
  } finally {
    deps.progress.stop();
  }
  const templates = results.filter((t): t is TemplateSummary => t !== undefined);
  const summary: ExportSummary = {
    ...(store ? { runId } : {}),
    mode: config.export.mode,
    dryRun: req.dryRun,
    reconcile: req.reconcile || config.export.mode === 'full',
    status: runStatusOf(templates, signal.aborted, fatal),
    startedAt: new Date(started).toISOString(),
    durationMs: now() - started,
    templates,
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
      logger.error({ runId, err: (err as Error).message }, 'could not record the end of the run');
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
    counts: {
      discovered: 0,
      fetched: 0,
      inserted: 0,
      updated: 0,
      unchanged: 0,
      deleted: 0,
      failed: 0,
      retried: 0,
    },
    failures: [],
    error: err instanceof Error ? err.message : String(err),
  };
}
