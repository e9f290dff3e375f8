import type pg from 'pg';
import { qualified, quoteLiteral } from './quote.js';
import type { LedgerRow } from './types.js';

/** The migration ledger: one row per applied (or adopted) migration, in the configured schema. */
export const LEDGER_TABLE = 'atlas_schema_migrations';

export function createLedgerSql(schema: string): string[] {
  const t = qualified(schema, LEDGER_TABLE);
  return [
    `CREATE TABLE IF NOT EXISTS ${t} (
    version INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    checksum TEXT NOT NULL,
    applied_at TIMESTAMPTZ NOT NULL DEFAULT now(),
    atlas_version TEXT NOT NULL,
    duration_ms INTEGER NOT NULL DEFAULT 0,
    adopted BOOLEAN NOT NULL DEFAULT false,
    note TEXT
)`,
    `COMMENT ON TABLE ${t} IS 'Atlas schema migrations applied to this schema (adopted = found already in place)'`,
  ];
}

export async function ledgerExists(client: pg.ClientBase, schema: string): Promise<boolean> {
  const r = await client.query<{ exists: boolean }>(
    `SELECT EXISTS (SELECT 1 FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
                     WHERE n.nspname = $1 AND c.relname = $2 AND c.relkind IN ('r', 'p')) AS exists`,
    [schema, LEDGER_TABLE],
  );
  return r.rows[0]?.exists === true;
}

export async function readLedger(client: pg.ClientBase, schema: string): Promise<LedgerRow[]> {
  const r = await client.query<{
    version: number;
    name: string;
    checksum: string;
    applied_at: Date;
    atlas_version: string;
    duration_ms: number;
    adopted: boolean;
    note: string | null;
  }>(
    `SELECT version, name, checksum, applied_at, atlas_version, duration_ms, adopted, note
       FROM ${qualified(schema, LEDGER_TABLE)} ORDER BY version`,
  );
  return r.rows.map((row) => ({
    version: row.version,
    name: row.name,
    checksum: row.checksum,
    appliedAt: new Date(row.applied_at).toISOString(),
    atlasVersion: row.atlas_version,
    durationMs: row.duration_ms,
    adopted: row.adopted,
    note: row.note,
  }));
}

export interface LedgerEntry {
  version: number;
  name: string;
  checksum: string;
  atlasVersion: string;
  adopted: boolean;
  note?: string;
}

/**
 * The INSERT recording a migration, as literal SQL so a dry run shows exactly what runs. It is the last
 * statement of the migration's own transaction (data and ledger commit together); duration_ms is measured
 * by PostgreSQL from the transaction start. Unqualified: the transaction has set search_path to the schema.
 */
export function ledgerInsertSql(e: LedgerEntry): string {
  const values = [
    String(e.version),
    quoteLiteral(e.name),
    quoteLiteral(e.checksum),
    quoteLiteral(e.atlasVersion),
    '(extract(epoch FROM clock_timestamp() - now()) * 1000)::integer',
    e.adopted ? 'true' : 'false',
    e.note === undefined ? 'NULL' : quoteLiteral(e.note),
  ];
  return `INSERT INTO ${LEDGER_TABLE} (version, name, checksum, atlas_version, duration_ms, adopted, note) VALUES (${values.join(', ')})`;
}
