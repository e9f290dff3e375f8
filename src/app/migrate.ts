import type { AppContext } from '../context.js';
import {
  type MigrationReport,
  type MigrationStatus,
  migrateDatabase,
  migrationBlocksWork,
  readDatabaseMigrationStatus,
} from '../store/index.js';

/** `atlas migrate [up]`: applies the pending migrations (with `dryRun`, reports their SQL and runs nothing). */
export function migrateUp(
  ctx: AppContext,
  opts: { dryRun: boolean; dropLegacyColumns: boolean },
): Promise<MigrationReport> {
  return migrateDatabase(ctx, opts);
}

/**
 * `atlas migrate status`: applied and pending migrations, expected vs actual schema, privileges, and whether
 * Atlas can work with the database as it is (`blocking`: it cannot).
 */
export async function migrationStatus(
  ctx: AppContext,
): Promise<{ status: MigrationStatus; blocking: boolean }> {
  const status = await readDatabaseMigrationStatus(ctx);
  return { status, blocking: migrationBlocksWork(status) };
}
