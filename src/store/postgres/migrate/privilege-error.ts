import type pg from 'pg';
import { qualified, quoteIdent } from './quote.js';

/**
 * Turns PostgreSQL's own privilege error (42501) into the statement that fixes it, for the cases the
 * pre-flight check could not foresee: "must be owner of table|index|sequence X" → ALTER TABLE <the table>
 * OWNER TO <role>; "permission denied for table X" → GRANT on it; "permission denied for schema X" → GRANT on
 * the schema.
 */
export async function fixForPrivilegeError(
  client: pg.ClientBase,
  schema: string,
  message: string,
): Promise<string[]> {
  const role = await client.query<{ user: string }>('SELECT current_user::text AS user');
  const user = quoteIdent(role.rows[0]?.user ?? 'current_user');
  const owner =
    /must be owner of (?:table|relation|index|sequence|view|materialized view) "?([^"\s]+)"?/.exec(message);
  if (owner?.[1]) {
    const table = await owningTable(client, schema, owner[1]);
    return [`ALTER TABLE ${qualified(schema, table)} OWNER TO ${user};`];
  }
  const denied = /permission denied for (table|sequence|schema) "?([^"\s]+)"?/.exec(message);
  if (denied?.[1] === 'table' && denied[2]) {
    return [`GRANT SELECT, INSERT, UPDATE, DELETE ON ${qualified(schema, denied[2])} TO ${user};`];
  }
  if (denied?.[1] === 'sequence' && denied[2]) {
    return [`GRANT USAGE, SELECT ON SEQUENCE ${qualified(schema, denied[2])} TO ${user};`];
  }
  if (denied?.[1] === 'schema' && denied[2])
    return [`GRANT USAGE, CREATE ON SCHEMA ${quoteIdent(denied[2])} TO ${user};`];
  return [];
}

/** The table a relation belongs to (an index or sequence is altered through its table's owner). */
async function owningTable(client: pg.ClientBase, schema: string, relation: string): Promise<string> {
  const r = await client.query<{ table: string }>(
    `SELECT COALESCE(t.relname, s.relname, c.relname)::text AS table
       FROM pg_class c
       JOIN pg_namespace n ON n.oid = c.relnamespace
       LEFT JOIN pg_index i ON i.indexrelid = c.oid
       LEFT JOIN pg_class t ON t.oid = i.indrelid
       LEFT JOIN pg_depend d ON d.objid = c.oid AND d.classid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') AND c.relkind = 'S'
       LEFT JOIN pg_class s ON s.oid = d.refobjid
      WHERE n.nspname = $1 AND c.relname = $2
      LIMIT 1`,
    [schema, relation],
  );
  return r.rows[0]?.table ?? relation;
}
