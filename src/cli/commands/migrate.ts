import type { Command } from 'commander';
import { migrateUp, migrationStatus } from '../../app/migrate.js';
import type { AppContext } from '../../context.js';
import { ExitCode } from '../../errors.js';
import { formatMigrationReport, formatMigrationStatus, openStore } from '../../store/index.js';
import { DATABASE_ONLY, withCliContext } from '../cli-context.js';
import { action } from '../run.js';
import type { CommandModule } from './index.js';

interface UpOptions {
  dryRun?: boolean;
  dropLegacyColumns?: boolean;
  json?: boolean;
}

type Out = { write(s: string): unknown };

/** `atlas migrate [up]`: applies pending migrations (or prints their SQL with --dry-run). */
export async function runMigrateUp(
  ctx: AppContext,
  opts: UpOptions,
  out: Out = process.stdout,
): Promise<number> {
  if (ctx.config.databaseTarget === 'cosmosdb') return migrateCosmos(ctx, opts, out);
  const report = await migrateUp(ctx, {
    dryRun: opts.dryRun === true,
    dropLegacyColumns: opts.dropLegacyColumns === true,
  });
  out.write(opts.json ? `${JSON.stringify(report, null, 2)}\n` : formatMigrationReport(report));
  return ExitCode.ok;
}

/**
 * Cosmos DB has no schema to migrate: `atlas migrate` creates the database and the control container when
 * missing (every export does too); data containers come with their template's first batch.
 */
async function migrateCosmos(ctx: AppContext, opts: UpOptions, out: Out): Promise<number> {
  if (opts.dryRun === true) {
    out.write(
      'Cosmos DB: nothing to migrate; `atlas migrate` would create the database and control container if missing.\n',
    );
    return ExitCode.ok;
  }
  const store = await openStore(ctx, { migrate: true });
  await store.close();
  const c = ctx.config.cosmosdb!;
  const text = `Cosmos DB: database ${c.databaseName} and control container ${c.controlContainer} are ready; data containers are created with their template's first batch.`;
  out.write(opts.json ? `${JSON.stringify({ target: 'cosmosdb', ready: true })}\n` : `${text}\n`);
  return ExitCode.ok;
}

/**
 * `atlas migrate status`: applied and pending migrations, expected vs actual schema, privileges. Exit 0 when
 * Atlas can work with the database (up to date, or pending/legacy that `atlas migrate` handles); exit 4 when it
 * cannot (newer database, changed files, missing privileges, tables changed by hand).
 */
export async function runMigrateStatus(
  ctx: AppContext,
  opts: { json?: boolean },
  out: Out = process.stdout,
): Promise<number> {
  const { status, blocking } = await migrationStatus(ctx);
  out.write(opts.json ? `${JSON.stringify(status, null, 2)}\n` : formatMigrationStatus(status));
  return blocking ? ExitCode.connection : ExitCode.ok;
}

export const migrateCommand: CommandModule = {
  register(program: Command) {
    const migrateCmd = program
      .command('migrate')
      .description(
        "create or upgrade Atlas's tables (runs automatically before every command that needs them)",
      );
    migrateCmd
      .command('up', { isDefault: true })
      .description('apply pending migrations; upgrades older Atlas layouts in place (default)')
      .option('--dry-run', 'print the SQL that would run; execute nothing')
      .option('--drop-legacy-columns', 'also drop columns no Atlas migration defines (their data is deleted)')
      .option('--json', 'print the report as JSON')
      .action(
        action((opts: UpOptions, cmd: Command) =>
          withCliContext(cmd, {}, (ctx) => runMigrateUp(ctx, opts), DATABASE_ONLY),
        ),
      );
    migrateCmd
      .command('status')
      .description('applied/pending migrations, expected vs actual tables, columns, constraints, privileges')
      .option('--json', 'print the status as JSON')
      .action(
        action((opts: { json?: boolean }, cmd: Command) =>
          withCliContext(cmd, {}, (ctx) => runMigrateStatus(ctx, opts), DATABASE_ONLY),
        ),
      );
  },
};
