import { fitIdentifier, qualified, quoteIdent, quoteLiteral, shortHash } from './identifiers.js';
import type { ViewModel } from './types.js';
import { type ViewSqlTarget, viewSelectSql } from './view-sql.js';

/**
 * The occurrence table behind a repeating view (docs/views.md, "Occurrence tables"): one row per occurrence,
 * real typed columns, kept current by statement-level triggers on `compositions` in the writing statement's
 * own transaction. Finding the occurrences of a composition means scanning all of its keys (tens of µs per
 * composition and view); done at query time that made a repeating view ~70× slower than the main view, so it
 * is done once per written composition instead: an export batch (INSERT … ON CONFLICT, a tombstone UPDATE, a
 * DELETE, a TRUNCATE) re-derives the rows of exactly the compositions it touched, from its transition tables.
 * A reader therefore never sees a stale row, between exports or inside one, whoever wrote the table.
 */

/**
 * Types whose safe cast depends on session settings (`try_timestamptz` reads an offset-less date-time in the
 * session's TimeZone): stored as the FLAT text and cast by the view at query time, so the reader's session
 * decides, exactly as with the key lookups. Every other type is stored cast.
 */
const UNCAST = new Set(['timestamptz', 'time', 'interval']);

/** Whether a view reads an occurrence table: plain (not materialized) repeating views still in the template. */
export function usesOccurrenceTable(view: ViewModel, materialized: boolean): boolean {
  return view.kind === 'repeating' && !view.removedAt && !materialized;
}

/** Names of the table, its trigger function and its triggers (on `compositions`, so the schema is hashed in). */
export function occurrenceNames(viewsSchema: string, viewName: string) {
  const table = fitIdentifier(`_rows__${viewName}`);
  const tag = shortHash(`${viewsSchema}.${viewName}`, 8);
  return {
    table,
    fn: fitIdentifier(`_rows_sync__${viewName}`),
    trigger: (op: 'i' | 'u' | 'd' | 't') => fitIdentifier(`atlas_rows_${tag}_${op}__${viewName}`),
  };
}

const liveColumns = (view: ViewModel) => view.columns.filter((c) => !c.removedAt);

/** The SELECT of the view over its occurrence table (same columns, names, types and order as the live one). */
export function occurrenceViewSelect(target: ViewSqlTarget, view: ViewModel): string {
  const table = qualified(target.viewsSchema, occurrenceNames(target.viewsSchema, view.name).table);
  const cols = [
    'r.composition_id AS "composition_id"',
    'r.ehr_id AS "ehr_id"',
    'r.index_path AS "index_path"',
    ...view.indexColumns.map((name, i) => `r.index_path[${i + 1}] AS ${quoteIdent(name)}`),
    ...view.columns.map((c) => {
      if (c.removedAt) return `NULL::${c.sqlType} AS ${quoteIdent(c.name)}`;
      const stored = `r.${quoteIdent(c.name)}`;
      const value = UNCAST.has(c.sqlType)
        ? `${quoteIdent(target.viewsSchema)}.try_${c.sqlType}(${stored})`
        : stored;
      return `${value} AS ${quoteIdent(c.name)}`;
    }),
  ];
  return `SELECT\n  ${cols.join(',\n  ')}\nFROM ${table} AS r`;
}

/** Rows of the compositions in `source` (a relation with the columns of `compositions`), as stored. */
function rowsSelect(target: ViewSqlTarget, view: ViewModel, source?: string): string {
  const names = ['composition_id', 'ehr_id', 'index_path', ...liveColumns(view).map((c) => c.name)];
  const live = viewSelectSql(target, view, { uncast: UNCAST, ...(source ? { source } : {}) });
  return `SELECT ${names.map((n) => `l.${quoteIdent(n)}`).join(', ')}\nFROM (\n${live}\n) AS l`;
}

/**
 * Creates the occurrence table, fills it from every stored composition, indexes it and installs the triggers.
 * The caller first removes any previous one (`occurrenceTeardown`); all of it runs in the generation's
 * transaction.
 */
export function occurrenceTableStatements(target: ViewSqlTarget, view: ViewModel): string[] {
  const n = occurrenceNames(target.viewsSchema, view.name);
  const table = qualified(target.viewsSchema, n.table);
  const fn = qualified(target.viewsSchema, n.fn);
  const comps = qualified(target.dataSchema, 'compositions');
  const columns = [
    'composition_id text NOT NULL',
    'ehr_id text NOT NULL',
    'index_path int[] NOT NULL',
    ...liveColumns(view).map((c) => `${quoteIdent(c.name)} ${UNCAST.has(c.sqlType) ? 'text' : c.sqlType}`),
  ];
  const names = ['composition_id', 'ehr_id', 'index_path', ...liveColumns(view).map((c) => c.name)]
    .map(quoteIdent)
    .join(', ');
  const template = quoteLiteral(target.templateId);
  // One function for the four triggers: TG_OP tells which transition tables exist. A composition that moved
  // to another template, was tombstoned or deleted loses its rows through `old_rows`; `new_rows` brings back
  // those of live compositions of this template.
  const body = [
    'BEGIN',
    `  IF TG_OP = 'TRUNCATE' THEN`,
    `    TRUNCATE ${table};`,
    '    RETURN NULL;',
    '  END IF;',
    `  IF TG_OP IN ('UPDATE', 'DELETE') THEN`,
    `    DELETE FROM ${table} AS r USING old_rows AS o WHERE o.template_id = ${template} AND r.composition_id = o.id;`,
    '  END IF;',
    `  IF TG_OP IN ('INSERT', 'UPDATE') THEN`,
    `    INSERT INTO ${table} (${names})`,
    `    ${rowsSelect(target, view, 'new_rows').split('\n').join('\n    ')};`,
    '  END IF;',
    '  RETURN NULL;',
    'END',
  ].join('\n');
  const trigger = (op: 'i' | 'u' | 'd' | 't', event: string, referencing: string) =>
    `CREATE TRIGGER ${quoteIdent(n.trigger(op))} AFTER ${event} ON ${comps}${referencing} FOR EACH STATEMENT EXECUTE FUNCTION ${fn}()`;
  return [
    `CREATE TABLE ${table} (${columns.join(', ')})`,
    `COMMENT ON TABLE ${table} IS ${quoteLiteral(`Occurrence rows behind view ${target.viewsSchema}.${view.name}, kept current by triggers on ${target.dataSchema}.compositions. Generated by atlas views generate; do not edit.`)}`,
    `INSERT INTO ${table} (${names})\n${rowsSelect(target, view)}`,
    `CREATE INDEX ON ${table} (composition_id)`,
    `CREATE INDEX ON ${table} (ehr_id)`,
    `ANALYZE ${table}`,
    // SECURITY DEFINER: the role that exports need not be granted anything on the views schema; it runs as
    // the owner of the table it writes, with a search path that no other schema can shadow.
    `CREATE FUNCTION ${fn}() RETURNS trigger LANGUAGE plpgsql SECURITY DEFINER SET search_path = pg_catalog, pg_temp AS ${dollar(body)}`,
    trigger('i', 'INSERT', ' REFERENCING NEW TABLE AS new_rows'),
    trigger('u', 'UPDATE', ' REFERENCING OLD TABLE AS old_rows NEW TABLE AS new_rows'),
    trigger('d', 'DELETE', ' REFERENCING OLD TABLE AS old_rows'),
    trigger('t', 'TRUNCATE', ''),
  ];
}

/**
 * Removes a view's occurrence table, function and triggers if they exist (dropping the function drops its
 * triggers). Run once nothing reads the table any more: after the view was dropped or pointed elsewhere.
 */
export function occurrenceTeardown(viewsSchema: string, viewName: string): string[] {
  const n = occurrenceNames(viewsSchema, viewName);
  return [
    `DROP FUNCTION IF EXISTS ${qualified(viewsSchema, n.fn)}() CASCADE`,
    `DROP TABLE IF EXISTS ${qualified(viewsSchema, n.table)}`,
  ];
}

function dollar(text: string): string {
  let tag = '$rows$';
  for (let i = 1; text.includes(tag); i++) tag = `$rows_${i}$`;
  return `${tag}\n${text}\n${tag}`;
}
