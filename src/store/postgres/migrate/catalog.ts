import type pg from 'pg';

/** What PostgreSQL's catalog says about one schema: the input of every check the migrator makes. */
export interface ColumnInfo {
  name: string;
  /** format_type(): `text`, `uuid`, `character varying(255)`, `timestamp with time zone`, `text[]`… */
  type: string;
  notNull: boolean;
  default: string | null;
}

export interface ConstraintInfo {
  name: string;
  /** p primary key, u unique, c check, f foreign key, x exclusion. */
  type: string;
  columns: string[];
  definition: string;
}

export interface IndexInfo {
  name: string;
  /** The index definition after `USING`, e.g. `btree (ehr_id, template_id)`: equal shapes = same index. */
  shape: string;
  /** Backs a primary key or unique constraint (renamed/dropped with the constraint, not on its own). */
  constraintBacked: boolean;
}

export interface TableInfo {
  name: string;
  owner: string;
  columns: ColumnInfo[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
}

export interface Catalog {
  schema: string;
  schemaExists: boolean;
  tables: Map<string, TableInfo>;
}

const COLUMNS_SQL = `
SELECT c.relname::text AS table_name, pg_get_userbyid(c.relowner)::text AS owner, a.attname::text AS column_name,
       format_type(a.atttypid, a.atttypmod) AS column_type, a.attnotnull AS not_null,
       pg_get_expr(d.adbin, d.adrelid) AS column_default
  FROM pg_class c
  JOIN pg_namespace n ON n.oid = c.relnamespace
  LEFT JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped
  LEFT JOIN pg_attrdef d ON d.adrelid = c.oid AND d.adnum = a.attnum
 WHERE n.nspname = $1 AND c.relkind IN ('r', 'p')
 ORDER BY c.relname, a.attnum`;

const CONSTRAINTS_SQL = `
SELECT cl.relname::text AS table_name, co.conname::text AS name, co.contype::text AS type,
       pg_get_constraintdef(co.oid) AS definition,
       ARRAY(SELECT a.attname::text FROM unnest(co.conkey) WITH ORDINALITY AS k(num, ord)
               JOIN pg_attribute a ON a.attrelid = co.conrelid AND a.attnum = k.num ORDER BY k.ord) AS columns
  FROM pg_constraint co
  JOIN pg_class cl ON cl.oid = co.conrelid
  JOIN pg_namespace n ON n.oid = cl.relnamespace
 WHERE n.nspname = $1
   -- PostgreSQL 18 also records NOT NULL as constraints (contype n); nullability is read from pg_attribute.
   AND co.contype <> 'n'
 ORDER BY cl.relname, co.conname`;

const INDEXES_SQL = `
SELECT t.relname::text AS table_name, i.relname::text AS name, pg_get_indexdef(i.oid) AS definition,
       EXISTS (SELECT 1 FROM pg_constraint co WHERE co.conindid = i.oid AND co.conrelid = t.oid) AS constraint_backed
  FROM pg_index x
  JOIN pg_class i ON i.oid = x.indexrelid
  JOIN pg_class t ON t.oid = x.indrelid
  JOIN pg_namespace n ON n.oid = t.relnamespace
 WHERE n.nspname = $1
 ORDER BY t.relname, i.relname`;

export async function readCatalog(client: pg.ClientBase, schema: string): Promise<Catalog> {
  const ns = await client.query<{ exists: boolean }>(
    'SELECT EXISTS (SELECT 1 FROM pg_namespace WHERE nspname = $1) AS exists',
    [schema],
  );
  const tables = new Map<string, TableInfo>();
  const schemaExists = ns.rows[0]?.exists === true;
  if (!schemaExists) return { schema, schemaExists, tables };

  const cols = await client.query<{
    table_name: string;
    owner: string;
    column_name: string | null;
    column_type: string | null;
    not_null: boolean | null;
    column_default: string | null;
  }>(COLUMNS_SQL, [schema]);
  for (const r of cols.rows) {
    let t = tables.get(r.table_name);
    if (!t) {
      t = { name: r.table_name, owner: r.owner, columns: [], constraints: [], indexes: [] };
      tables.set(r.table_name, t);
    }
    if (r.column_name) {
      t.columns.push({
        name: r.column_name,
        type: r.column_type ?? '',
        notNull: r.not_null === true,
        default: r.column_default,
      });
    }
  }
  const cons = await client.query<{
    table_name: string;
    name: string;
    type: string;
    definition: string;
    columns: string[];
  }>(CONSTRAINTS_SQL, [schema]);
  for (const r of cons.rows) {
    tables
      .get(r.table_name)
      ?.constraints.push({ name: r.name, type: r.type, columns: r.columns, definition: r.definition });
  }
  const idx = await client.query<{
    table_name: string;
    name: string;
    definition: string;
    constraint_backed: boolean;
  }>(INDEXES_SQL, [schema]);
  for (const r of idx.rows) {
    tables.get(r.table_name)?.indexes.push({
      name: r.name,
      shape: indexShape(r.definition),
      constraintBacked: r.constraint_backed,
    });
  }
  return { schema, schemaExists, tables };
}

/** `CREATE INDEX x ON s.t USING btree (a, b)` → `btree (a, b)`. */
export function indexShape(definition: string): string {
  const at = definition.indexOf(' USING ');
  return at < 0 ? definition : definition.slice(at + ' USING '.length).trim();
}
