import { requireTemplateIds } from '../config/require.js';
import type { AtlasConfig, ExportMode, LockMode } from '../config/types.js';
import type { WriteRetryPolicy } from './sink.js';
import type { TemplateJob } from './template-job.js';

/** What the caller asks of a run beyond the configuration (flags that are no configuration key). */
export interface ExportRequest {
  /** Incremental run that also checks for deletions (full runs always do). */
  reconcile: boolean;
}

/** What every template of a run shares; the engine adds the template id and the run id. */
export type TemplateSettings = Omit<TemplateJob, 'templateId' | 'runId'>;

/** One export run, resolved once from the configuration and the request: all the engine reads. */
export interface ExportJob {
  mode: ExportMode;
  /** In the configured order; never empty. */
  templateIds: string[];
  /** Whether the templates look for deletions after their scan (see `exportJobOf`). */
  reconcile: boolean;
  lockMode: LockMode;
  writeRetry: WriteRetryPolicy;
  template: TemplateSettings;
}

/**
 * The run's job from the resolved configuration (flags are already merged into it) and the request. A run
 * without templates is a usage error (exit 2), raised here, before anything is opened: it would only record
 * an empty export run. A full run always reconciles; an incremental one only when asked.
 */
export function exportJobOf(config: AtlasConfig, request: ExportRequest): ExportJob {
  const templateIds = requireTemplateIds(config);
  const q = config.openehr.query;
  const mode = config.export.mode;
  const reconcile = mode === 'full' || request.reconcile;
  return {
    mode,
    templateIds,
    reconcile,
    lockMode: config.export.lockMode,
    writeRetry: { maxRetries: config.export.maxRetries, backoffMs: config.export.retryBackoffMs },
    template: {
      mode,
      reconcile,
      ehrIds: q.ehrIds,
      since: q.timeRangeStart,
      until: q.timeRangeEnd,
      overlapSeconds: config.export.overlapSeconds,
      pageSize: q.batchSize,
      concurrency: q.parallelEhrs,
      checkpointIntervalMs: config.state.checkpointIntervalSeconds * 1000,
      enableCheckpointing: config.state.enableCheckpointing,
      deletionPolicy: config.export.deletions,
      pseudonymizedEhrIds: config.anonymization.enabled && config.anonymization.pseudonymizeEhrId,
      fetch: q.fetch,
      flatCheckInterval: q.flatCheckInterval,
    },
  };
}

/** One template's job within the run. */
export function templateJobOf(job: ExportJob, templateId: string, runId: number): TemplateJob {
  return { ...job.template, templateId, runId };
}
