import type { AppContext } from '../context.js';
import type { OpenEhrClient } from '../openehr/types.js';
import { printableScript, runAtomically } from './apply.js';
import { castFunctionStatements } from './cast-functions.js';
import { columnComment, refreshStatement } from './ddl.js';
import { checkDependents } from './dependents.js';
import type { ViewChange } from './evolution.js';
import { quoteIdent } from './identifiers.js';
import { buildTemplateViews } from './model.js';
import { planStatements, planTemplate } from './plan.js';
import {
  bookkeepingStatements,
  existingRelations,
  exportedTemplateIds,
  loadStoredViews,
  type SqlClient,
} from './repository.js';
import { viewsTarget } from './schemas.js';
import type { WebTemplate } from './types.js';
import { fetchWebTemplate } from './web-template-source.js';

/** Bumped when the generated SQL changes shape; recorded with every view. */
export const GENERATOR_VERSION = 1;

export interface GenerateOptions {
  /** Default: every template with stored compositions. */
  templateIds?: string[];
  materialized: boolean;
  /** Print the SQL, write nothing. */
  dryRun: boolean;
  /** Drop columns (and views) of data points gone from the template. */
  pruneRemoved: boolean;
  /** Allow dropping objects that depend on a view that must be recreated (they are dropped too). */
  cascade: boolean;
  /** Refresh materialized views of templates whose views are otherwise up to date (after an export). */
  refreshUnchanged?: boolean;
}

export interface TemplateOutcome {
  templateId: string;
  status: 'created' | 'updated' | 'unchanged' | 'refreshed' | 'planned';
  source: 'server' | 'cache';
  hash: string;
  views: Array<{ name: string; action: string }>;
  changes: ViewChange[];
  /** Objects of users dropped with `cascade` (reported, never silent). */
  droppedDependents: string[];
  /** The SQL (dry run). */
  sql?: string;
}

export interface GenerateDeps {
  db: SqlClient;
  client: Pick<OpenEhrClient, 'getWebTemplate'>;
}

/** A template whose views could not be generated; the others still are. */
export interface FailedOutcome {
  templateId: string;
  status: 'failed';
  error: string;
}

/**
 * Generates (or brings up to date) the views of each template, one template per transaction. A template
 * that fails (server error, dependents in the way) is reported and leaves its views as they were.
 */
export async function generateViews(
  ctx: AppContext,
  deps: GenerateDeps,
  opts: GenerateOptions,
): Promise<Array<TemplateOutcome | FailedOutcome>> {
  const { dataSchema } = viewsTarget(ctx, '');
  const templateIds = opts.templateIds?.length
    ? opts.templateIds
    : await exportedTemplateIds(deps.db, dataSchema);
  const outcomes: Array<TemplateOutcome | FailedOutcome> = [];
  for (const templateId of templateIds) {
    if (ctx.signal.aborted) break;
    try {
      outcomes.push(await generateTemplateViews(ctx, deps, templateId, opts));
    } catch (err) {
      if (ctx.signal.aborted) throw err;
      const error = err instanceof Error ? err.message : String(err);
      ctx.logger.warn({ templateId, err: error }, 'template views not generated');
      outcomes.push({ templateId, status: 'failed', error });
    }
  }
  return outcomes;
}

/** One template: fetch its web template, plan against what exists, check dependents, apply or print. */
export async function generateTemplateViews(
  ctx: AppContext,
  deps: GenerateDeps,
  templateId: string,
  opts: GenerateOptions,
): Promise<TemplateOutcome> {
  const target = viewsTarget(ctx, templateId);
  const fetched = await fetchWebTemplate(ctx, { ...deps, dataSchema: target.dataSchema }, templateId);
  const stored = await loadStoredViews(deps.db, target.dataSchema, target.viewsSchema);
  const previous = stored.filter((s) => s.templateId === templateId);
  const takenByOthers = new Set(stored.filter((s) => s.templateId !== templateId).map((s) => s.model.name));
  const candidates = await existingRelations(deps.db, target.viewsSchema, [
    ...previous.map((p) => p.model.name),
    ...candidateNames(
      fetched.template,
      takenByOthers,
      previous.map((p) => p.model.name),
    ),
  ]);
  const plan = planTemplate({
    target,
    template: fetched.template,
    previous: previous.map((p) => ({
      model: p.model,
      materialized: p.materialized,
      definitionSql: p.definitionSql,
    })),
    takenByOthers,
    existing: candidates,
    materialized: opts.materialized,
    pruneRemoved: opts.pruneRemoved,
    now: new Date().toISOString(),
  });
  const outcome: TemplateOutcome = {
    templateId,
    status: opts.dryRun ? 'planned' : previous.length === 0 ? 'created' : 'updated',
    source: fetched.source,
    hash: fetched.hash,
    views: [
      ...plan.drops.map((d) => ({ name: d.view.name, action: 'drop' })),
      ...plan.views.map((v) => ({ name: v.view.name, action: v.action })),
    ],
    changes: plan.changes,
    droppedDependents: [],
  };
  const hashUnchanged = previous.length > 0 && previous.every((p) => p.templateHash === fetched.hash);
  if (plan.unchanged && hashUnchanged) {
    outcome.status = 'unchanged';
    if (opts.refreshUnchanged && opts.materialized && !opts.dryRun) {
      await runAtomically(
        deps.db,
        plan.views.map((v) => refreshStatement(target.viewsSchema, v.view.name)),
      );
      outcome.status = 'refreshed';
    }
    return outcome;
  }
  outcome.droppedDependents = await checkDependents(ctx, deps.db, target, plan, opts.cascade);
  const ddl = [
    `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(target.viewsSchema)}`,
    ...castFunctionStatements(target.viewsSchema),
    ...planStatements(plan, target, { materialized: opts.materialized, cascade: opts.cascade }),
  ];
  const bookkeeping = bookkeepingStatements({
    dataSchema: target.dataSchema,
    viewsSchema: target.viewsSchema,
    templateId,
    webTemplate: fetched.json,
    hash: fetched.hash,
    generatorVersion: GENERATOR_VERSION,
    views: plan.views.map((v) => ({
      model: v.view,
      materialized: opts.materialized,
      definitionSql: v.definitionSql,
      comments: Object.fromEntries(v.view.columns.map((c) => [c.name, columnComment(c)])),
    })),
  });
  if (opts.dryRun) {
    outcome.sql = printableScript(
      ddl,
      `template ${templateId} (web template ${fetched.hash.slice(0, 12)}, from the ${fetched.source})\n` +
        `then records the web template and ${plan.views.length} view definition(s) in ${target.dataSchema}.web_templates / view_definitions`,
    );
    return outcome;
  }
  await runAtomically(deps.db, [...ddl, ...bookkeeping]);
  return outcome;
}

/** Names the fresh model would use (to learn which of them already exist). */
function candidateNames(template: WebTemplate, taken: Set<string>, previous: string[]): string[] {
  return buildTemplateViews(template, new Set([...taken, ...previous])).views.map((v) => v.name);
}
