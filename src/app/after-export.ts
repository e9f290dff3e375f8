import type { AppContext } from '../context.js';
import type { ExportSummary } from '../export/types.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store } from '../store/types.js';
import { verifyOneLiner } from '../verify/report-text.js';
import { verifyAfterExport } from './verify.js';
import { regenerateChangedViews } from './views.js';

/**
 * After a run that was neither interrupted nor failed: regenerate the views of the templates that changed
 * when [views] is enabled (a view failure is reported, it does not fail the export), and verify source
 * against target when [verification] asks for it (its result is part of the summary and of the exit code).
 */
export async function afterExport(
  ctx: AppContext,
  deps: { client: OpenEhrClient; store: Store },
  summary: ExportSummary,
): Promise<void> {
  if (summary.status === 'interrupted' || summary.status === 'failed' || ctx.signal.aborted) return;
  await regenerateChangedViews(ctx, deps, summary);
  if (ctx.config.verification.enableVerification) {
    const report = await verifyAfterExport(ctx, deps);
    summary.verification = { consistent: report.consistent, summary: verifyOneLiner(report) };
  }
}
