import type pg from 'pg';
import type { StoreAccess } from '../../types.js';
import { qualified, quoteIdent } from './quote.js';
import type { PrivilegeReport } from './types.js';

/** What the coming work needs from the current role. */
export interface PrivilegeNeeds {
  /** The schema must be created. */
  createSchema: boolean;
  /** New tables are created in the schema (ledger, new migrations). */
  createInSchema: boolean;
  /** Existing tables that DDL will alter or comment on: the role must own them. */
  ownTables: string[];
  /** Existing tables Atlas reads/writes with this access. */
  useTables: string[];
  /** Existing tables Atlas only reads (the ledger, when nothing is pending). */
  readTables?: string[];
  access: StoreAccess;
}

interface TableAccess {
  name: string;
  owner: string;
  owned: boolean;
  sel: boolean;
  ins: boolean;
  upd: boolean;
  del: boolean;
  sequences: string[];
}

/**
 * Checks the current role's privileges before anything is executed and turns every gap into the exact
 * statement an administrator runs (the original printed "must be owner of table" from PostgreSQL and a
 * generic hint). Also used to explain a 42501 error that slipped through.
 */
export async function checkPrivileges(
  client: pg.ClientBase,
  schema: string,
  needs: PrivilegeNeeds,
): Promise<PrivilegeReport> {
  const base = await client.query<{
    user: string;
    db: string;
    db_create: boolean;
    usage: boolean | null;
    create: boolean | null;
  }>(
    `SELECT current_user::text AS user, current_database()::text AS db,
            has_database_privilege(current_database(), 'CREATE') AS db_create,
            CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) THEN has_schema_privilege($1, 'USAGE') END AS usage,
            CASE WHEN EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) THEN has_schema_privilege($1, 'CREATE') END AS create`,
    [schema],
  );
  const b = base.rows[0];
  const user = b?.user ?? 'current_user';
  const role = quoteIdent(user);
  const problems: string[] = [];
  const fixSql: string[] = [];
  if (needs.createSchema && b?.db_create !== true) {
    problems.push(
      `schema "${schema}" does not exist and role "${user}" may not create schemas in database "${b?.db}"`,
    );
    fixSql.push(`CREATE SCHEMA ${quoteIdent(schema)} AUTHORIZATION ${role};`);
  }
  if (b?.usage === false) {
    problems.push(`role "${user}" has no USAGE on schema "${schema}"`);
  }
  if (needs.createInSchema && b?.create === false) {
    problems.push(`role "${user}" may not create tables in schema "${schema}"`);
  }
  if (b?.usage === false || (needs.createInSchema && b?.create === false)) {
    fixSql.push(
      `GRANT USAGE${needs.createInSchema ? ', CREATE' : ''} ON SCHEMA ${quoteIdent(schema)} TO ${role};`,
    );
  }
  const readOnly = (needs.readTables ?? []).filter((t) => !needs.useTables.includes(t));
  const names = [...new Set([...needs.ownTables, ...needs.useTables, ...readOnly])];
  const tables = b?.usage === false || names.length === 0 ? [] : await tableAccess(client, schema, names);
  for (const t of tables.filter((t) => needs.ownTables.includes(t.name) && !t.owned)) {
    problems.push(`table ${schema}.${t.name} is owned by "${t.owner}", and altering it needs its owner`);
    fixSql.push(`ALTER TABLE ${qualified(schema, t.name)} OWNER TO ${role};`);
  }
  const unreadable = tables.filter((t) => readOnly.includes(t.name) && !t.owned && !t.sel);
  for (const t of unreadable) problems.push(`role "${user}" lacks SELECT on table ${schema}.${t.name}`);
  if (unreadable.length > 0) {
    fixSql.push(`GRANT SELECT ON ${unreadable.map((t) => qualified(schema, t.name)).join(', ')} TO ${role};`);
  }
  const missing = tables.filter(
    (t) => needs.useTables.includes(t.name) && !t.owned && lacks(t, needs.access).length > 0,
  );
  for (const t of missing)
    problems.push(`role "${user}" lacks ${lacks(t, needs.access).join(', ')} on table ${schema}.${t.name}`);
  if (missing.length > 0) {
    const privs = needs.access === 'write' ? 'SELECT, INSERT, UPDATE, DELETE' : 'SELECT';
    fixSql.push(`GRANT ${privs} ON ${missing.map((t) => qualified(schema, t.name)).join(', ')} TO ${role};`);
    const seqs = missing.flatMap((t) => t.sequences);
    if (needs.access === 'write' && seqs.length > 0) {
      fixSql.push(
        `GRANT USAGE, SELECT ON SEQUENCE ${seqs.map((s) => qualified(schema, s)).join(', ')} TO ${role};`,
      );
    }
  }
  return { user, problems, fixSql };
}

function lacks(t: TableAccess, access: StoreAccess): string[] {
  const need: Array<[string, boolean]> =
    access === 'write'
      ? [
          ['SELECT', t.sel],
          ['INSERT', t.ins],
          ['UPDATE', t.upd],
          ['DELETE', t.del],
        ]
      : [['SELECT', t.sel]];
  return need.filter(([, ok]) => !ok).map(([p]) => p);
}

async function tableAccess(client: pg.ClientBase, schema: string, names: string[]): Promise<TableAccess[]> {
  const r = await client.query<TableAccess>(
    `SELECT c.relname::text AS name, pg_get_userbyid(c.relowner)::text AS owner,
            pg_has_role(current_user, c.relowner, 'USAGE') AS owned,
            has_table_privilege(c.oid, 'SELECT') AS sel, has_table_privilege(c.oid, 'INSERT') AS ins,
            has_table_privilege(c.oid, 'UPDATE') AS upd, has_table_privilege(c.oid, 'DELETE') AS del,
            ARRAY(SELECT s.relname::text FROM pg_depend d JOIN pg_class s ON s.oid = d.objid
                   WHERE d.refobjid = c.oid AND d.classid = 'pg_class'::regclass AND s.relkind = 'S'
                   ORDER BY s.relname) AS sequences
       FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
      WHERE n.nspname = $1 AND c.relname = ANY ($2::text[]) AND c.relkind IN ('r', 'p')
      ORDER BY c.relname`,
    [schema, names],
  );
  return r.rows;
}

/** The message of a SchemaError for privilege gaps: what is missing and the statements to run. */
export function privilegeMessage(schema: string, report: PrivilegeReport, doing: string): string {
  return (
    `Atlas cannot ${doing} in schema "${schema}" as role "${report.user}":\n` +
    report.problems.map((p) => `  - ${p}`).join('\n') +
    `\nRun these statements as the tables' owner or a superuser (e.g. psql -U postgres -d <database>), then run Atlas again:\n` +
    report.fixSql.map((s) => `  ${s}`).join('\n')
  );
}
