import type { AtlasConfig } from '../config/types.js';
import type { ExportRequest } from './engine.js';
import type { TemplateJob } from './template-job.js';

/** One template's job from the resolved configuration (flags are already merged into it). */
export function jobFor(
  config: AtlasConfig,
  templateId: string,
  runId: number,
  req: ExportRequest,
): TemplateJob {
  const q = config.openehr.query;
  const anonymized = config.anonymization.enabled;
  return {
    templateId,
    runId,
    mode: config.export.mode,
    reconcile: config.export.mode === 'full' || req.reconcile,
    ehrIds: q.ehrIds,
    since: q.timeRangeStart,
    until: q.timeRangeEnd,
    overlapSeconds: config.export.overlapSeconds,
    pageSize: q.batchSize,
    concurrency: q.parallelEhrs,
    checkpointIntervalMs: config.state.checkpointIntervalSeconds * 1000,
    enableCheckpointing: config.state.enableCheckpointing,
    deletionPolicy: config.export.deletions,
    pseudonymizedEhrIds: anonymized && config.anonymization.pseudonymizeEhrId,
  };
}
