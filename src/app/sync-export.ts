import type { AppContext } from '../context.js';
import { exportCommand } from '../export/run.js';
import { type ExportSummary, silentProgress } from '../export/types.js';

/**
 * The export use case as one sync cycle calls it: everything opened (client, store, privacy tooling) and
 * closed again, exactly as `atlas export` does, so a cycle behaves like an incremental export run (run row,
 * per-batch commits, template locks, failure retries) and a SIGHUP-reloaded configuration takes effect at the
 * next cycle without anything held over. This is the only place sync reaches into the export; when the
 * use-case layer (src/app/export.ts) lands, it calls that instead.
 */
export function exportOnce(ctx: AppContext, opts: { reconcile: boolean }): Promise<ExportSummary> {
  return exportCommand(ctx, { reconcile: opts.reconcile, progress: silentProgress });
}
