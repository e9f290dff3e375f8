import type { AppContext } from '../context.js';
import { ConnectionError } from '../errors.js';
import { openStore } from './index.js';
import {
  type MigrationReport,
  type MigrationStatus,
  migrate,
  migrationStatus,
} from './postgres/migrate/index.js';
import { blockingProblems } from './postgres/migrate/schema-diff.js';
import type { SqlContext } from './postgres/sql-context.js';
import { SqlStore } from './postgres/sql-store.js';

export type { MigrationReport, MigrationStatus } from './postgres/migrate/index.js';
export {
  formatReport as formatMigrationReport,
  formatStatus as formatMigrationStatus,
} from './postgres/migrate/report-text.js';

/** The configured database (PostgreSQL or embedded), opened without migrating, closed afterwards. */
async function withSqlDatabase<T>(ctx: AppContext, fn: (sql: SqlContext) => Promise<T>): Promise<T> {
  const store = await openStore(ctx, { migrate: false });
  try {
    if (!(store instanceof SqlStore))
      throw new ConnectionError(`the ${store.kind} store offers no SQL connection`);
    return await fn(store.sql);
  } finally {
    await store.close();
  }
}

/** Applies the pending migrations to the configured database (with `dryRun`, only reports their SQL). */
export function migrateDatabase(
  ctx: AppContext,
  opts: { dryRun: boolean; dropLegacyColumns: boolean },
): Promise<MigrationReport> {
  return withSqlDatabase(ctx, (sql) =>
    migrate(sql.pool, {
      schema: sql.schema,
      logger: ctx.logger,
      dryRun: opts.dryRun,
      dropLegacyColumns: opts.dropLegacyColumns,
    }),
  );
}

/** Applied and pending migrations, expected vs actual schema and privileges; changes nothing. */
export function readDatabaseMigrationStatus(ctx: AppContext): Promise<MigrationStatus> {
  return withSqlDatabase(ctx, (sql) => migrationStatus(sql.pool, { schema: sql.schema }));
}

/**
 * Whether Atlas cannot work with the database as the status describes it: a newer database, changed
 * migration files, missing privileges, or tables changed by hand. Pending migrations and older layouts are
 * not blocking: `atlas migrate` (and every command that migrates first) handles them.
 */
export function migrationBlocksWork(status: MigrationStatus): boolean {
  return (
    ['newer', 'drift', 'no-access'].includes(status.state) ||
    status.legacyBlockers.length > 0 ||
    status.privileges.problems.length > 0 ||
    (status.state === 'up-to-date' && blockingProblems(status.tables).length > 0)
  );
}
