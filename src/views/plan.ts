import { canonicalJson } from '../transform/canonical-json.js';
import {
  definitionSelectSql,
  dropViewForGood,
  type ViewAction,
  type ViewKind,
  viewStatements,
} from './ddl.js';
import { mergeWithPrevious, type ViewChange } from './evolution.js';
import { buildTemplateViews } from './model.js';
import type { ViewModel, WebTemplate } from './types.js';
import type { ViewSqlTarget } from './view-sql.js';

export interface ViewPlan {
  view: ViewModel;
  action: ViewAction;
  /** What the view is in the database now (undefined: it does not exist). */
  existingKind?: ViewKind;
  definitionSql: string;
}

export interface TemplatePlan {
  templateId: string;
  /** The views after this generation. */
  views: ViewPlan[];
  /** Views to drop (pruned), with what they are in the database. */
  drops: Array<{ view: ViewModel; existingKind?: ViewKind }>;
  changes: ViewChange[];
  /** Nothing to do in the database for the views. */
  unchanged: boolean;
}

export interface PlanInput {
  target: ViewSqlTarget;
  template: WebTemplate;
  /** This template's views as recorded by the previous generation. */
  previous: Array<{ model: ViewModel; materialized: boolean; definitionSql: string }>;
  /** Names other templates' views use in the views schema. */
  takenByOthers: Set<string>;
  /** What exists in the views schema under the names involved. */
  existing: Map<string, ViewKind | 'other'>;
  materialized: boolean;
  pruneRemoved: boolean;
  now: string;
}

/** Decides, per view, how to get from what exists to what the template asks for. Pure. */
export function planTemplate(input: PlanInput): TemplatePlan {
  const previousNames = input.previous.map((p) => p.model.name);
  const fresh = buildTemplateViews(input.template, new Set([...input.takenByOthers, ...previousNames]));
  const merged = mergeWithPrevious(
    fresh.views,
    input.previous.map((p) => p.model),
    { pruneRemoved: input.pruneRemoved, now: input.now },
  );
  const before = new Map(input.previous.map((p) => [p.model.name, p]));
  const wanted: ViewKind = input.materialized ? 'materialized' : 'view';
  const views = merged.views.map((view): ViewPlan => {
    const existing = input.existing.get(view.name);
    if (existing === 'other') {
      throw new Error(
        `cannot create view ${input.target.viewsSchema}.${view.name}: a table or other relation of that name exists ` +
          'there; rename it or choose another [views] schema',
      );
    }
    const definitionSql = definitionSelectSql(input.target, view, wanted);
    const plan: ViewPlan = { view, action: 'create', definitionSql };
    if (existing === undefined) return plan;
    plan.existingKind = existing;
    const prior = before.get(view.name);
    if (
      prior &&
      existing === wanted &&
      prior.materialized === input.materialized &&
      prior.definitionSql === definitionSql &&
      // Key order differs once a model went through JSONB: compare canonical forms.
      canonicalJson(prior.model) === canonicalJson(view)
    ) {
      plan.action = 'unchanged';
    } else if (
      !prior ||
      existing !== wanted ||
      wanted === 'materialized' ||
      merged.needsRecreate.has(view.name)
    ) {
      // Unknown to us, changing kind, materialized (cannot be replaced) or a column that cannot be replaced.
      plan.action = 'recreate';
    } else {
      plan.action = 'replace';
    }
    return plan;
  });
  const drops = merged.dropped.map((view) => {
    const existing = input.existing.get(view.name);
    return existing === undefined || existing === 'other' ? { view } : { view, existingKind: existing };
  });
  const unchanged =
    views.every((v) => v.action === 'unchanged') && drops.every((d) => d.existingKind === undefined);
  return { templateId: input.target.templateId, views, drops, changes: merged.changes, unchanged };
}

/** The DDL of a plan, in order: drops of pruned views, then each view's statements. */
export function planStatements(
  plan: TemplatePlan,
  target: ViewSqlTarget,
  opts: { materialized: boolean; cascade: boolean },
): string[] {
  const kind: ViewKind = opts.materialized ? 'materialized' : 'view';
  const out: string[] = [];
  for (const d of plan.drops) {
    if (d.existingKind)
      out.push(...dropViewForGood(target.viewsSchema, d.view.name, d.existingKind, opts.cascade));
  }
  for (const v of plan.views) {
    if (v.action === 'unchanged') continue;
    out.push(
      ...viewStatements(target, v.view, kind, v.action, {
        previousKind: v.existingKind,
        cascade: opts.cascade,
      }),
    );
  }
  return out;
}

/** Views whose current relation is dropped by the plan (their dependents would go with them). */
export function viewsDroppedBy(plan: TemplatePlan): string[] {
  return [
    ...plan.drops.filter((d) => d.existingKind).map((d) => d.view.name),
    ...plan.views.filter((v) => v.action === 'recreate').map((v) => v.view.name),
  ];
}
