import { ExitCode } from '../errors.js';
import type { RunSummaryRecord } from '../store/types.js';
import type { ExportSummary, RunStatus, TemplateSummary } from './types.js';

/** The run's status from its templates: interrupted beats failed beats "with failures". */
export function runStatusOf(templates: TemplateSummary[], interrupted: boolean, fatal?: Error): RunStatus {
  if (interrupted) return 'interrupted';
  if (fatal) return 'failed';
  const troubled = templates.some(
    (t) => t.status === 'failed' || t.status === 'skipped' || t.status === 'completed_with_failures',
  );
  return troubled ? 'completed_with_failures' : 'completed';
}

/**
 * The documented exit codes: 0 success; 1 some compositions (or a template, or verification) failed;
 * 2 usage/configuration, 3 authentication, 4 connection/database (from the error that stopped the run);
 * 130/143 interrupted by SIGINT/SIGTERM.
 */
export function exitCodeOf(summary: ExportSummary, interruptedCode: number): number {
  if (summary.status === 'interrupted') return interruptedCode;
  if (summary.error) return summary.error.exitCode;
  if (summary.status === 'completed_with_failures') return ExitCode.compositionsFailed;
  if (summary.verification && !summary.verification.consistent) return ExitCode.compositionsFailed;
  return ExitCode.ok;
}

export interface Totals {
  discovered: number;
  written: number;
  inserted: number;
  updated: number;
  unchanged: number;
  deleted: number;
  failed: number;
  retried: number;
}

export function totalsOf(templates: TemplateSummary[]): Totals {
  const t: Totals = {
    discovered: 0,
    written: 0,
    inserted: 0,
    updated: 0,
    unchanged: 0,
    deleted: 0,
    failed: 0,
    retried: 0,
  };
  for (const { counts: c } of templates) {
    t.discovered += c.discovered;
    t.inserted += c.inserted;
    t.updated += c.updated;
    t.unchanged += c.unchanged;
    t.deleted += c.deleted;
    t.failed += c.failed;
    t.retried += c.retried;
  }
  t.written = t.inserted + t.updated;
  return t;
}

/** What the `export_runs` row records. Details carry per-template figures, never content. */
export function toRunRecord(summary: ExportSummary): RunSummaryRecord {
  const t = totalsOf(summary.templates);
  return {
    status: summary.status,
    compositionsWritten: t.written,
    compositionsUnchanged: t.unchanged,
    compositionsDeleted: t.deleted,
    compositionsFailed: t.failed,
    ...(summary.error ? { error: summary.error.message } : {}),
    details: {
      reconcile: summary.reconcile,
      durationMs: summary.durationMs,
      templates: summary.templates.map((x) => ({
        templateId: x.templateId,
        status: x.status,
        discoveryMode: x.discoveryMode,
        counts: x.counts,
        ...(x.fetch ? { fetch: x.fetch } : {}),
        ...(x.error ? { error: x.error } : {}),
      })),
      ...(summary.governor ? { governor: summary.governor } : {}),
    },
  };
}
