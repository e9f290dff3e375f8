import type { AppContext } from '../context.js';
import type { OpenEhrClient } from '../openehr/types.js';
import type { Store } from '../store/types.js';
import { verifyOneLiner } from '../verify/report-text.js';
import { verify } from '../verify/verify.js';
import { regenerateViewsIfChanged } from '../views/index.js';
import { openPrivacy } from './privacy-wiring.js';
import { totalsOf } from './summary.js';
import type { ExportSummary } from './types.js';

/** Seed of the post-export verification sample: fixed, so a failed check can be repeated exactly. */
export const DEFAULT_VERIFY_SEED = 1;

/**
 * After a run that was neither interrupted nor failed: regenerate the views of the templates that changed
 * when [views] is enabled (a view failure is reported, it does not fail the export), and verify source against target when [verification] asks for it (its result is
 * part of the summary and of the exit code).
 */
export async function afterExport(
  ctx: AppContext,
  deps: { client: OpenEhrClient; store: Store },
  summary: ExportSummary,
): Promise<void> {
  if (summary.status === 'interrupted' || summary.status === 'failed' || ctx.signal.aborted) return;
  const { config } = ctx;
  const changed = summary.templates
    .filter((t) => totalsOf([t]).written + t.counts.deleted > 0)
    .map((t) => t.templateId);
  if (config.views.enabled && changed.length > 0) {
    const outcomes = await regenerateViewsIfChanged(ctx, deps.store, deps.client, changed);
    summary.views = {
      regenerated: outcomes
        .filter((o) => o.status !== 'failed' && o.status !== 'unchanged')
        .map((o) => o.templateId),
      failed: outcomes.flatMap((o) =>
        o.status === 'failed' ? [{ templateId: o.templateId, error: o.error }] : [],
      ),
    };
  }
  if (config.verification.enableVerification) {
    const privacy = await openPrivacy(ctx, { forVerify: true });
    try {
      const report = await verify(
        {
          client: deps.client,
          store: deps.store,
          content: privacy.content,
          logger: ctx.logger,
          signal: ctx.signal,
        },
        {
          templateIds: config.openehr.query.templateIds,
          sample: config.verification.sample,
          seed: DEFAULT_VERIFY_SEED,
          pageSize: config.openehr.query.batchSize,
          concurrency: config.openehr.query.parallelEhrs,
        },
      );
      summary.verification = { consistent: report.consistent, summary: verifyOneLiner(report) };
    } finally {
      await privacy.close();
    }
  }
}
