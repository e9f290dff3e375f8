import type { Store } from '../store/types.js';
import type { ViewKind } from './ddl.js';
import { qualified, quoteLiteral } from './identifiers.js';
import type { ViewColumn, ViewModel } from './types.js';

/** All the views module needs from a database: `Store.query` (PostgreSQL or the embedded database). */
export type SqlClient = Pick<Store, 'query'>;

/** One row of `view_definitions`: a generated view as recorded, to keep names stable and report changes. */
export interface StoredView {
  templateId: string;
  model: ViewModel;
  materialized: boolean;
  templateHash: string;
  definitionSql: string;
  generatedAt: string;
}

interface DefinitionRow {
  template_id: string;
  view_name: string;
  kind: 'main' | 'repeating';
  node_path: string;
  label: string;
  segments: ViewModel['segments'];
  index_columns: string[];
  columns: Array<ViewColumn & { comment?: string }>;
  materialized: boolean;
  removed_at: string | null;
  template_hash: string;
  definition_sql: string;
  generated_at: string | Date;
}

/** Whether `table` exists in `schema` (reads before the first migration must not fail). */
async function tableExists(db: SqlClient, schema: string, table: string): Promise<boolean> {
  const { rows } = await db.query<{ ok: boolean }>('SELECT to_regclass($1) IS NOT NULL AS ok', [
    qualified(schema, table),
  ]);
  return rows[0]?.ok === true;
}

/** Every recorded view in `viewsSchema` (all templates: other templates' names must not be reused). */
export async function loadStoredViews(
  db: SqlClient,
  dataSchema: string,
  viewsSchema: string,
): Promise<StoredView[]> {
  if (!(await tableExists(db, dataSchema, 'view_definitions'))) return [];
  const { rows } = await db.query<DefinitionRow>(
    `SELECT template_id, view_name, kind, node_path, label, segments, index_columns, columns, materialized,
            removed_at, template_hash, definition_sql, generated_at
       FROM ${qualified(dataSchema, 'view_definitions')} WHERE view_schema = $1 ORDER BY template_id, view_name`,
    [viewsSchema],
  );
  return rows.map((r) => {
    const model: ViewModel = {
      name: r.view_name,
      kind: r.kind,
      nodePath: r.node_path,
      indexColumns: r.index_columns,
      segments: r.segments,
      label: r.label,
      // The stored columns also carry their comment (for people reading the table); the model does not.
      columns: r.columns.map(({ comment: _comment, ...c }) => c),
    };
    if (r.removed_at) model.removedAt = toIso(r.removed_at);
    return {
      templateId: r.template_id,
      model,
      materialized: r.materialized,
      templateHash: r.template_hash,
      definitionSql: r.definition_sql,
      generatedAt: toIso(r.generated_at),
    };
  });
}

function toIso(v: string | Date): string {
  return v instanceof Date ? v.toISOString() : new Date(v).toISOString();
}

/** The cached web template of a template, if any. */
export async function loadCachedWebTemplate(
  db: SqlClient,
  dataSchema: string,
  templateId: string,
): Promise<{ webTemplate: unknown; hash: string } | undefined> {
  if (!(await tableExists(db, dataSchema, 'web_templates'))) return undefined;
  const { rows } = await db.query<{ web_template: unknown; hash: string }>(
    `SELECT web_template, hash FROM ${qualified(dataSchema, 'web_templates')} WHERE template_id = $1`,
    [templateId],
  );
  const row = rows[0];
  return row ? { webTemplate: row.web_template, hash: row.hash } : undefined;
}

/** Templates with stored compositions (live or not): the templates that were exported. */
export async function exportedTemplateIds(db: SqlClient, dataSchema: string): Promise<string[]> {
  if (!(await tableExists(db, dataSchema, 'compositions'))) return [];
  const { rows } = await db.query<{ template_id: string }>(
    `SELECT DISTINCT template_id FROM ${qualified(dataSchema, 'compositions')} ORDER BY template_id`,
  );
  return rows.map((r) => r.template_id);
}

/** Relations in `schema` with these names and what they are (`view`, `materialized`, or another relkind). */
export async function existingRelations(
  db: SqlClient,
  schema: string,
  names: string[],
): Promise<Map<string, ViewKind | 'other'>> {
  if (names.length === 0) return new Map();
  const { rows } = await db.query<{ relname: string; relkind: string }>(
    `SELECT c.relname, c.relkind::text AS relkind FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY($2::text[])`,
    [schema, names],
  );
  return new Map(
    rows.map((r) => [r.relname, r.relkind === 'v' ? 'view' : r.relkind === 'm' ? 'materialized' : 'other']),
  );
}

/** Statements recording a generation: the web template and every view of the template (replacing the old rows). */
export function bookkeepingStatements(input: {
  dataSchema: string;
  viewsSchema: string;
  templateId: string;
  webTemplate: unknown;
  hash: string;
  generatorVersion: number;
  views: Array<{
    model: ViewModel;
    materialized: boolean;
    definitionSql: string;
    comments: Record<string, string>;
  }>;
}): string[] {
  const wt = qualified(input.dataSchema, 'web_templates');
  const vd = qualified(input.dataSchema, 'view_definitions');
  const tid = quoteLiteral(input.templateId);
  const out = [
    `INSERT INTO ${wt} (template_id, web_template, hash, fetched_at) VALUES (${tid}, ${quoteLiteral(JSON.stringify(input.webTemplate))}::jsonb, ${quoteLiteral(input.hash)}, now())
ON CONFLICT (template_id) DO UPDATE SET web_template = EXCLUDED.web_template, hash = EXCLUDED.hash, fetched_at = EXCLUDED.fetched_at`,
    `DELETE FROM ${vd} WHERE view_schema = ${quoteLiteral(input.viewsSchema)} AND template_id = ${tid}`,
  ];
  if (input.views.length === 0) return out;
  const values = input.views.map(({ model: m, materialized, definitionSql, comments }) => {
    const columns = m.columns.map((c) => ({ ...c, comment: comments[c.name] }));
    return `(${[
      quoteLiteral(input.viewsSchema),
      quoteLiteral(m.name),
      tid,
      quoteLiteral(m.kind),
      quoteLiteral(m.nodePath),
      quoteLiteral(m.label),
      `${quoteLiteral(JSON.stringify(m.segments))}::jsonb`,
      `${quoteLiteral(JSON.stringify(m.indexColumns))}::jsonb`,
      `${quoteLiteral(JSON.stringify(columns))}::jsonb`,
      materialized ? 'true' : 'false',
      m.removedAt ? `${quoteLiteral(m.removedAt)}::timestamptz` : 'NULL',
      quoteLiteral(input.hash),
      String(input.generatorVersion),
      quoteLiteral(definitionSql),
    ].join(', ')}, now())`;
  });
  out.push(
    `INSERT INTO ${vd} (view_schema, view_name, template_id, kind, node_path, label, segments, index_columns, columns,
  materialized, removed_at, template_hash, generator_version, definition_sql, generated_at) VALUES\n${values.join(',\n')}`,
  );
  return out;
}
