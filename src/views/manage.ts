import type { AppContext } from '../context.js';
import { printableScript, runAtomically } from './apply.js';
import { dropViewForGood } from './ddl.js';
import { dependentObjects } from './dependents.js';
import { qualified, quoteLiteral } from './identifiers.js';
import { occurrenceTeardown } from './occurrence-table.js';
import { existingRelations, loadStoredViews, type SqlClient } from './repository.js';
import { viewsTarget } from './schemas.js';

export interface ListedView {
  templateId: string;
  schema: string;
  name: string;
  kind: 'main' | 'repeating';
  nodePath: string;
  materialized: boolean;
  /** Whether the relation is in the database (a user may have dropped it by hand). */
  exists: boolean;
  columns: number;
  removedColumns: number;
  removed: boolean;
  templateHash: string;
  generatedAt: string;
}

/** The generated views as recorded, and whether each is present. */
export async function listViews(ctx: AppContext, db: SqlClient): Promise<ListedView[]> {
  const { dataSchema, viewsSchema } = viewsTarget(ctx, '');
  const stored = await loadStoredViews(db, dataSchema, viewsSchema);
  const present = await existingRelations(
    db,
    viewsSchema,
    stored.map((s) => s.model.name),
  );
  return stored.map((s) => ({
    templateId: s.templateId,
    schema: viewsSchema,
    name: s.model.name,
    kind: s.model.kind,
    nodePath: s.model.nodePath,
    materialized: s.materialized,
    exists: present.has(s.model.name),
    columns: s.model.columns.length,
    removedColumns: s.model.columns.filter((c) => c.removedAt).length,
    removed: s.model.removedAt !== undefined,
    templateHash: s.templateHash,
    generatedAt: s.generatedAt,
  }));
}

export interface DropResult {
  dropped: string[];
  droppedDependents: string[];
  sql: string;
}

/**
 * Drops the generated views of some templates (all when none given) and forgets them. Objects of users that
 * depend on them stop the drop with a list, unless `cascade`. The schema and the cast helpers stay (other
 * objects may use them); the web template cache stays too.
 */
export async function dropViews(
  ctx: AppContext,
  db: SqlClient,
  opts: { templateIds?: string[]; cascade: boolean; dryRun: boolean },
): Promise<DropResult> {
  const { dataSchema, viewsSchema } = viewsTarget(ctx, '');
  const wanted = opts.templateIds?.length ? new Set(opts.templateIds) : undefined;
  const stored = (await loadStoredViews(db, dataSchema, viewsSchema)).filter(
    (s) => !wanted || wanted.has(s.templateId),
  );
  const names = stored.map((s) => s.model.name);
  const present = await existingRelations(db, viewsSchema, names);
  const dependents = await dependentObjects(db, viewsSchema, [...present.keys()]);
  // Our own views never depend on each other, so anything listed belongs to someone else.
  const foreign = [...dependents.values()].flat();
  if (foreign.length > 0 && !opts.cascade) {
    throw new Error(
      `objects depend on the views to drop: ${[...dependents].map(([v, d]) => `${viewsSchema}.${v} ← ${d.join(', ')}`).join('; ')}. ` +
        'Drop them first, or rerun with --cascade to drop them too.',
    );
  }
  const statements = stored.flatMap((s) => {
    const kind = present.get(s.model.name);
    // A view dropped by hand may have left its occurrence table (and triggers) behind: removed too.
    return kind === 'view' || kind === 'materialized'
      ? dropViewForGood(viewsSchema, s.model.name, kind, opts.cascade)
      : occurrenceTeardown(viewsSchema, s.model.name);
  });
  const templates = [...new Set(stored.map((s) => s.templateId))];
  if (templates.length > 0) {
    statements.push(
      `DELETE FROM ${qualified(dataSchema, 'view_definitions')} WHERE view_schema = ${quoteLiteral(viewsSchema)} ` +
        `AND template_id IN (${templates.map(quoteLiteral).join(', ')})`,
    );
  }
  const result = {
    dropped: names,
    droppedDependents: opts.cascade ? foreign : [],
    sql: printableScript(statements),
  };
  if (!opts.dryRun) await runAtomically(db, statements);
  return result;
}
