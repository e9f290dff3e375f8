import type { AppContext } from '../context.js';
import { totalsOf } from '../export/index.js';
import type { ExportSummary } from '../export/types.js';
import { createOpenEhrClient } from '../openehr/index.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { openStore } from '../store/index.js';
import type { Store } from '../store/types.js';
import {
  type DropResult,
  dropViews,
  type FailedOutcome,
  type GenerateOptions,
  generateViews,
  type ListedView,
  listViews,
  regenerateViewsIfChanged,
  type TemplateOutcome,
} from '../views/index.js';

/**
 * `atlas views generate`: creates or updates the views of the templates (default: every exported one) from
 * their web templates. A dry run writes nothing, not even pending migrations.
 */
export async function generateTemplateViews(
  ctx: AppContext,
  opts: Omit<GenerateOptions, 'refreshUnchanged'>,
): Promise<Array<TemplateOutcome | FailedOutcome>> {
  const store = await openStore(ctx, { migrate: !opts.dryRun });
  try {
    const client = createOpenEhrClient(ctx);
    try {
      return await generateViews(ctx, { db: store, client }, opts);
    } finally {
      await client.close();
    }
  } finally {
    await store.close();
  }
}

/** `atlas views list`: the generated views (the schema is not migrated first). */
export async function listTemplateViews(ctx: AppContext): Promise<ListedView[]> {
  const store = await openStore(ctx, { migrate: false });
  try {
    return await listViews(ctx, store);
  } finally {
    await store.close();
  }
}

/** `atlas views drop`: drops the generated views (all, or those of some templates). */
export async function dropTemplateViews(
  ctx: AppContext,
  opts: { templateIds?: string[]; cascade: boolean; dryRun: boolean },
): Promise<DropResult> {
  const store = await openStore(ctx, { migrate: false });
  try {
    return await dropViews(ctx, store, opts);
  } finally {
    await store.close();
  }
}

/**
 * After an export, when `[views] enabled`: brings the views of the templates the run changed up to date and
 * records the outcome in the summary. A view failure is reported there; it does not fail the export.
 */
export async function regenerateChangedViews(
  ctx: AppContext,
  deps: { client: OpenEhrClient; store: Store },
  summary: ExportSummary,
): Promise<void> {
  const changed = summary.templates
    .filter((t) => totalsOf([t]).written + t.counts.deleted > 0)
    .map((t) => t.templateId);
  if (!ctx.config.views.enabled || changed.length === 0) return;
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
