import type { AppContext } from '../context.js';
import type { ViewChange } from './evolution.js';
import { type TemplatePlan, viewsDroppedBy } from './plan.js';
import type { SqlClient } from './repository.js';
import type { ViewSqlTarget } from './view-sql.js';

/**
 * Objects that depend on these relations and would be dropped with them: views and materialized views of
 * users (through their rewrite rules), indexes on a materialized view, functions with SQL-standard bodies,
 * anything else recorded in pg_depend — except the relation's own rule and row type.
 */
export async function dependentObjects(
  db: SqlClient,
  schema: string,
  names: string[],
): Promise<Map<string, string[]>> {
  if (names.length === 0) return new Map();
  const { rows } = await db.query<{ relname: string; dependent: string }>(
    `SELECT DISTINCT t.relname,
            COALESCE((SELECT format('%s %I.%I', CASE rc.relkind WHEN 'm' THEN 'materialized view' ELSE 'view' END,
                                     rn.nspname, rc.relname)
                        FROM pg_rewrite r JOIN pg_class rc ON rc.oid = r.ev_class
                        JOIN pg_namespace rn ON rn.oid = rc.relnamespace
                       WHERE d.classid = 'pg_rewrite'::regclass AND r.oid = d.objid),
                     pg_describe_object(d.classid, d.objid, 0)) AS dependent
       FROM pg_class t
       JOIN pg_namespace n ON n.oid = t.relnamespace
       JOIN pg_depend d ON d.refclassid = 'pg_class'::regclass AND d.refobjid = t.oid AND d.deptype IN ('n', 'a')
      WHERE n.nspname = $1 AND t.relname = ANY($2::text[])
        AND NOT (d.classid = 'pg_rewrite'::regclass
                 AND EXISTS (SELECT 1 FROM pg_rewrite r WHERE r.oid = d.objid AND r.ev_class = t.oid))
      ORDER BY 1, 2`,
    [schema, names],
  );
  const out = new Map<string, string[]>();
  for (const r of rows) out.set(r.relname, [...(out.get(r.relname) ?? []), r.dependent]);
  return out;
}

/**
 * Before a plan drops any view (recreate, prune): what depends on those views. Nothing → nothing to say.
 * Something and no `cascade` → a refusal naming every dependent (the user's objects are never dropped
 * silently). With `cascade` → the list of what goes with the views, logged and returned for the report.
 */
export async function checkDependents(
  ctx: AppContext,
  db: SqlClient,
  target: ViewSqlTarget,
  plan: TemplatePlan,
  cascade: boolean,
): Promise<string[]> {
  const dependents = await dependentObjects(db, target.viewsSchema, viewsDroppedBy(plan));
  if (dependents.size === 0) return [];
  const list = [...dependents].map(
    ([view, objects]) => `${target.viewsSchema}.${view} ← ${objects.join(', ')}`,
  );
  if (!cascade) {
    throw new Error(
      `the views of template '${target.templateId}' must be recreated (${describeRecreate(plan.changes)}), but objects ` +
        `depend on them: ${list.join('; ')}. Drop or adapt those objects first, or rerun with --cascade to drop ` +
        'them together with the views.',
    );
  }
  const dropped = [...dependents.values()].flat();
  ctx.logger.warn(
    { templateId: target.templateId, dropped },
    'dropping objects that depend on recreated views (--cascade)',
  );
  return dropped;
}

/** Why views must be dropped and created: the changes CREATE OR REPLACE VIEW cannot apply. */
function describeRecreate(changes: ViewChange[]): string {
  const why = changes.filter(
    (c) => c.change === 'retyped' || c.change === 'pruned' || c.change === 'view pruned',
  );
  if (why.length === 0)
    return 'their kind or definition changes in a way CREATE OR REPLACE VIEW cannot apply';
  return why
    .slice(0, 5)
    .map((c) =>
      c.change === 'retyped'
        ? `${c.view}.${c.column} ${c.from} → ${c.to}`
        : `${c.view}${c.column ? `.${c.column}` : ''} pruned`,
    )
    .join(', ');
}
