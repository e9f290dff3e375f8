import type { ExportMode } from '../config/types.js';
import type { ChangeRecord, DiscoveryMode, GovernorSummary } from '../openehr/types.js';
import type { CompositionRow } from '../store/types.js';
import type { AqlFetchReport } from './aql-fetch.js';

/** What one change record came to after fetching, anonymising and transforming it. */
export type ItemOutcome =
  /** Already stored at this version (incremental runs): not fetched. */
  | { kind: 'skipped'; record: ChangeRecord }
  | { kind: 'row'; record: ChangeRecord; row: CompositionRow }
  /** Listed as live but the GET said 204 (deleted) or 404 (missing): gone from the source. */
  | { kind: 'gone'; record: ChangeRecord; status: 'deleted' | 'missing' }
  /** Failed for good after the client's retries; recorded and retried first by the next run. */
  | { kind: 'failed'; record: ChangeRecord; reason: string };

export type TemplateStatus = 'completed' | 'completed_with_failures' | 'failed' | 'interrupted' | 'skipped';

/** Counts of one template; `unchanged` includes versions skipped without fetching. */
export interface TemplateCounts {
  discovered: number;
  fetched: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  retried: number;
}

export interface FailedComposition {
  id: string;
  compositionUid: string;
  ehrId: string;
  templateId: string;
  reason: string;
}

export interface TemplateSummary {
  templateId: string;
  status: TemplateStatus;
  discoveryMode?: DiscoveryMode;
  counts: TemplateCounts;
  /** Compositions still failing at the end of the run (recorded for retry). */
  failures: FailedComposition[];
  /** `fetch = "aql"` runs: how the content was read, and whether the template fell back to GETs. */
  fetch?: AqlFetchReport;
  /** Why the template failed as a whole (discovery error, lock refused, …). */
  error?: string;
}

export type RunStatus = 'completed' | 'completed_with_failures' | 'failed' | 'interrupted';

export interface ExportSummary {
  runId?: number;
  mode: ExportMode;
  dryRun: boolean;
  reconcile: boolean;
  status: RunStatus;
  startedAt: string;
  durationMs: number;
  templates: TemplateSummary[];
  /** What the client's request governor did (rate ceiling, concurrency cuts, Retry-After pauses). */
  governor?: GovernorSummary;
  /** A fatal error that stopped the run (exit code comes from it). */
  error?: { message: string; exitCode: number };
  /** Filled when [verification] enable_verification ran after the export. */
  verification?: { consistent: boolean; summary: string };
  /** Filled when [views] is enabled and the export changed something. */
  views?: { regenerated: string[]; failed: Array<{ templateId: string; error: string }> };
  /** The anonymisation dry-run report (per category and template, example paths, never values). */
  anonymizationReport?: { json: unknown; text: string };
}

export function emptyCounts(): TemplateCounts {
  return {
    discovered: 0,
    fetched: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
    retried: 0,
  };
}

/** Progress events for the display (TTY bars or periodic log lines). */
export interface ProgressSink {
  templateStarted(templateId: string, total: number | undefined): void;
  /** `done` records handled so far; `total` known total or discovered-so-far. */
  templateProgress(templateId: string, done: number, total: number): void;
  templateFinished(templateId: string, status: TemplateStatus): void;
  stop(): void;
}

export const silentProgress: ProgressSink = {
  templateStarted() {},
  templateProgress() {},
  templateFinished() {},
  stop() {},
};
