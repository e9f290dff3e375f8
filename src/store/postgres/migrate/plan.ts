import type { Catalog } from './catalog.js';
import { tableSpec } from './expected-schema.js';
import type { MigrationFile } from './files.js';
import { createLedgerSql, type LedgerEntry, ledgerInsertSql } from './ledger.js';
import type { LegacyDetection } from './legacy/index.js';
import type { MigrationObjects } from './migration-objects.js';
import { quoteIdent } from './quote.js';
import { isTransactionControl, splitStatements } from './split-statements.js';
import type { MigrationStep } from './types.js';

/** A statement of a step and where it comes from (file and line, or the check that generated it). */
export interface PlannedStatement {
  sql: string;
  origin: string;
  line?: number;
}

export interface PlannedStep extends MigrationStep {
  statements: PlannedStatement[];
}

export interface PlanInput {
  schema: string;
  atlasVersion: string;
  files: readonly MigrationFile[];
  objects: MigrationObjects;
  catalog: Catalog;
  /** null: no ledger table yet. */
  appliedVersions: Set<number> | null;
  /** Set when the ledger is empty and compositions/watermarks exist. */
  legacy: LegacyDetection | null;
  dropLegacyColumns: boolean;
  /** `lock_timeout` of every step that changes tables, in ms (default DEFAULT_MIGRATION_LOCK_TIMEOUT_MS). */
  lockTimeoutMs?: number;
}

/** Default wait for a table lock another session holds (see MigrateOptions.lockTimeoutMs). */
export const DEFAULT_MIGRATION_LOCK_TIMEOUT_MS = 60_000;

const SEED_TABLES = ['compositions', 'watermarks'];

/** Every step `migrate` will run, in order, with its exact SQL (what a dry run prints). */
export function buildPlan(p: PlanInput): PlannedStep[] {
  const steps: PlannedStep[] = [];
  const prologue = (): PlannedStatement[] => [
    { sql: `SET LOCAL search_path TO ${quoteIdent(p.schema)}`, origin: 'atlas' },
    // A legacy upgrade or an index build on a large table may take long; the pool's statement_timeout
    // (a connection setting, 60 s by default) must not cut it.
    { sql: 'SET LOCAL statement_timeout = 0', origin: 'atlas' },
    // Waiting for another session's lock is bounded instead: a queued ALTER TABLE blocks every later query
    // on the table, so a migration stuck behind a long transaction gives up (rolled back, with a hint).
    {
      sql: `SET LOCAL lock_timeout = ${lockTimeoutLiteral(p.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS)}`,
      origin: 'atlas',
    },
  ];
  const ledger = (e: Omit<LedgerEntry, 'atlasVersion'>): PlannedStatement => ({
    sql: ledgerInsertSql({ ...e, atlasVersion: p.atlasVersion }),
    origin: 'ledger',
  });
  const step = (s: Omit<PlannedStep, 'sql'>): PlannedStep => ({ ...s, sql: s.statements.map((x) => x.sql) });

  if (!p.catalog.schemaExists) {
    steps.push(
      step({
        kind: 'create-schema',
        description: `create schema ${p.schema}`,
        statements: [{ sql: `CREATE SCHEMA IF NOT EXISTS ${quoteIdent(p.schema)}`, origin: 'atlas' }],
      }),
    );
  }
  if (p.appliedVersions === null) {
    steps.push(
      step({
        kind: 'create-ledger',
        description: 'create the migration ledger atlas_schema_migrations',
        statements: createLedgerSql(p.schema).map((sql) => ({ sql, origin: 'ledger' })),
      }),
    );
  }
  const applied = p.appliedVersions ?? new Set<number>();
  const seed = p.files.find((f) => f.version === 1);
  if (p.legacy?.present && seed && !applied.has(1)) {
    const withSql = p.legacy.changes.filter((c) => c.sql.length > 0);
    const summary = p.legacy.changes.map((c) => c.description).join('; ');
    if (withSql.length === 0) {
      steps.push(
        step({
          kind: 'adopt',
          version: 1,
          file: seed.name,
          description: `adopt ${seed.name}: compositions/watermarks already match it (created outside Atlas, e.g. with psql); nothing is changed`,
          statements: [
            ...prologue(),
            ledger({
              version: 1,
              name: seed.name,
              checksum: seed.checksum,
              adopted: true,
              note: notes('tables found matching 001; adopted without changes', summary),
            }),
          ],
        }),
      );
    } else {
      steps.push(
        step({
          kind: 'legacy-upgrade',
          version: 1,
          file: seed.name,
          description: `upgrade an older Atlas layout in place to ${seed.name} (one transaction, every row kept): ${withSql.length} change(s)`,
          changes: p.legacy.changes,
          statements: [
            ...prologue(),
            ...withSql.flatMap((c) => c.sql.map((sql) => ({ sql, origin: `legacy check ${c.check}` }))),
            ...fileStatements(seed),
            ledger({
              version: 1,
              name: seed.name,
              checksum: seed.checksum,
              adopted: true,
              note: notes('legacy layout upgraded in place', summary),
            }),
          ],
        }),
      );
    }
    applied.add(1);
  }
  for (const f of p.files) {
    if (applied.has(f.version)) continue;
    steps.push(
      step({
        kind: 'apply',
        version: f.version,
        file: f.name,
        description: `apply ${f.name}`,
        statements: [
          ...prologue(),
          ...fileStatements(f),
          ledger({ version: f.version, name: f.name, checksum: f.checksum, adopted: false }),
        ],
      }),
    );
  }
  if (p.dropLegacyColumns) {
    const drops = legacyColumns(p).map(([table, col]) => ({
      sql: `ALTER TABLE ${quoteIdent(table)} DROP COLUMN ${quoteIdent(col)}`,
      origin: '--drop-legacy-columns',
    }));
    if (drops.length > 0) {
      steps.push(
        step({
          kind: 'drop-legacy-columns',
          description: `drop ${drops.length} column(s) no Atlas migration defines (asked for with --drop-legacy-columns; their data is deleted)`,
          statements: [...prologue(), ...drops],
        }),
      );
    }
  }
  return steps;
}

function lockTimeoutLiteral(ms: number): string {
  if (!Number.isInteger(ms) || ms < 0) throw new Error(`lockTimeoutMs must be an integer ≥ 0, got ${ms}`);
  return `'${ms}ms'`;
}

function fileStatements(f: MigrationFile): PlannedStatement[] {
  return splitStatements(f.sql)
    .filter((s) => !isTransactionControl(s.sql))
    .map((s) => ({ sql: s.sql, origin: f.name, line: s.line }));
}

function notes(head: string, summary: string): string {
  return summary ? `${head}: ${summary}` : head;
}

/** Columns of compositions/watermarks that no migration defines, as they will be when the drop step runs. */
function legacyColumns(p: PlanInput): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  for (const table of SEED_TABLES) {
    const cols =
      p.legacy?.finalColumns.get(table) ?? p.catalog.tables.get(table)?.columns.map((c) => c.name) ?? [];
    const known = new Set([
      ...(tableSpec(table)?.columns.map((c) => c.name) ?? []),
      ...p.objects.addedColumns.filter((a) => a.table === table).map((a) => a.column),
    ]);
    for (const c of cols) if (!known.has(c)) out.push([table, c]);
  }
  return out;
}
