import type { AppContext } from '../context.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { type FailedOutcome, generateViews, type TemplateOutcome } from './generate.js';
import type { SqlClient } from './repository.js';

/**
 * After an export run that wrote something (src/app/views.ts), when `[views] enabled = true`: brings the views
 * of these templates up to date. The web template is fetched again; when its hash is unchanged nothing is
 * rewritten (materialized views are refreshed, since their data changed). A change that would drop objects
 * depending on a view is refused, never forced: the template's views stay as they were and the refusal is
 * logged and returned as `failed` (the export itself is not failed by it). Does nothing when views are off.
 */
export async function regenerateViewsIfChanged(
  ctx: AppContext,
  store: SqlClient,
  client: Pick<OpenEhrClient, 'getWebTemplate'>,
  templateIds: string[],
): Promise<Array<TemplateOutcome | FailedOutcome>> {
  if (!ctx.config.views.enabled || templateIds.length === 0) return [];
  const outcomes = await generateViews(
    ctx,
    { db: store, client },
    {
      templateIds,
      materialized: ctx.config.views.materialized,
      dryRun: false,
      pruneRemoved: false,
      cascade: false,
      refreshUnchanged: true,
    },
  );
  for (const o of outcomes) {
    if (o.status !== 'failed' && o.changes.length > 0) {
      ctx.logger.info(
        { templateId: o.templateId, changes: o.changes },
        'template views regenerated: the template changed',
      );
    }
  }
  return outcomes;
}
