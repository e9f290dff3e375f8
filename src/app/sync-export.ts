import type { AppContext } from '../context.js';
import { type ExportSummary, silentProgress } from '../export/index.js';
import { exportCompositions, planExport } from './export.js';

/**
 * The export use case as one sync cycle calls it: everything opened (client, store, privacy tooling) and
 * closed again, exactly as `atlas export` does, so a cycle behaves like an incremental export run (run row,
 * per-batch commits, template locks, failure retries) and a SIGHUP-reloaded configuration takes effect at the
 * next cycle without anything held over.
 */
export function exportOnce(ctx: AppContext, opts: { reconcile: boolean }): Promise<ExportSummary> {
  return exportCompositions(ctx, planExport(ctx, { reconcile: opts.reconcile }), {
    progress: silentProgress,
  });
}
