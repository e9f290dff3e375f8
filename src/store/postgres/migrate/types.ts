import type pg from 'pg';
import type { Logger } from '../../../context.js';

/** A pool (a dedicated client is taken for the run) or a client that is not inside a transaction. */
export type Queryable = pg.ClientBase | pg.Pool;

export interface MigrateOptions {
  /** Schema holding Atlas's tables; created when missing. */
  schema: string;
  logger?: Logger;
  /** Plan only: nothing is executed; the report lists the SQL that would run. */
  dryRun?: boolean;
  /** Also drop columns of compositions/watermarks that no Atlas migration defines (kept by default). */
  dropLegacyColumns?: boolean;
  /** Folder of NNN_name.sql files (default: the package's migrations/). */
  migrationsDir?: string;
  /**
   * How long one statement of a migration step may wait for a table lock held by another session before the
   * step is rolled back (`lock_timeout`). Default 60 000 ms.
   */
  lockTimeoutMs?: number;
}

export type MigrationStepKind =
  | 'create-schema'
  | 'create-ledger'
  | 'apply'
  | 'adopt'
  | 'legacy-upgrade'
  | 'drop-legacy-columns';

/** One change found by the legacy-layout detection: what it changes, why, and its SQL. */
export interface LegacyChange {
  /** Name of the check that found it (stable, for tests and the ledger note). */
  check: string;
  description: string;
  sql: string[];
}

export interface MigrationStep {
  kind: MigrationStepKind;
  /** Migration number for apply/adopt/legacy-upgrade. */
  version?: number;
  /** Migration file name for apply/adopt/legacy-upgrade. */
  file?: string;
  description: string;
  /** The statements, in order (executed, or in a dry run: would be executed). */
  sql: string[];
  /** legacy-upgrade: the individual changes (their SQL is part of `sql`). */
  changes?: LegacyChange[];
  /** Set when the step was executed. */
  durationMs?: number;
}

export interface MigrationReport {
  schema: string;
  dryRun: boolean;
  atlasVersion: string;
  /** Highest applied migration before the run (0 = none). */
  fromVersion: number;
  /** Highest migration this code knows. */
  latestVersion: number;
  /** In order; empty = the database was already up to date. */
  steps: MigrationStep[];
}

/** One ledger row (atlas_schema_migrations). */
export interface LedgerRow {
  version: number;
  name: string;
  checksum: string;
  appliedAt: string;
  atlasVersion: string;
  durationMs: number;
  adopted: boolean;
  note: string | null;
}

export type ColumnStatus = 'ok' | 'missing' | 'extra' | 'type' | 'nullability' | 'default';

export interface ColumnComparison {
  name: string;
  status: ColumnStatus;
  expected?: string;
  actual?: string;
}

export interface NamedComparison {
  name: string;
  status: 'ok' | 'missing' | 'extra' | 'different';
  expected?: string;
  actual?: string;
}

export interface TableComparison {
  name: string;
  exists: boolean;
  /** Table created by a migration not described column by column here (only its presence is checked). */
  presenceOnly: boolean;
  owner?: string;
  columns: ColumnComparison[];
  constraints: NamedComparison[];
  indexes: NamedComparison[];
}

export interface PrivilegeReport {
  user: string;
  /** What is missing, in words. */
  problems: string[];
  /** The statements an administrator (table owner or superuser) runs to fix it. */
  fixSql: string[];
}

/** no-access: the role may not read the ledger or tables (privileges says what to grant). */
export type MigrationState = 'empty' | 'legacy' | 'pending' | 'up-to-date' | 'newer' | 'drift' | 'no-access';

export interface MigrationStatus {
  schema: string;
  atlasVersion: string;
  state: MigrationState;
  schemaExists: boolean;
  ledgerExists: boolean;
  applied: Array<LedgerRow & { file: string | null; checksumMatches: boolean | null }>;
  pending: Array<{ version: number; file: string }>;
  /** Ledger versions this code does not know (the database was migrated by a newer Atlas). */
  unknown: LedgerRow[];
  /** When no ledger exists but tables do: what `atlas migrate` would change (legacy layouts). */
  legacyChanges: LegacyChange[];
  /** Problems in a legacy layout that need a human before `atlas migrate` can upgrade it. */
  legacyBlockers: string[];
  tables: TableComparison[];
  privileges: PrivilegeReport;
}
