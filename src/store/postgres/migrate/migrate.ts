import pg from 'pg';
import { coerceError, SchemaError } from '../../../errors.js';
import { ATLAS_VERSION } from '../../../version.js';
import type { StoreAccess } from '../../types.js';
import { executeStep, PrivilegeFailure } from './apply.js';
import { readCatalog } from './catalog.js';
import { needsFor, postflight, preflightPrivileges, readLedgerOrExplain } from './checks.js';
import { loadMigrationFiles } from './files.js';
import { LEDGER_TABLE } from './ledger.js';
import { detectLegacyLayout } from './legacy/index.js';
import { withMigrationLock } from './lock.js';
import { migrationObjects } from './migration-objects.js';
import { buildPlan, DEFAULT_MIGRATION_LOCK_TIMEOUT_MS, type PlannedStep } from './plan.js';
import { fixForPrivilegeError } from './privilege-error.js';
import { checkPrivileges } from './privileges.js';
import type { MigrateOptions, MigrationReport, MigrationStep, Queryable } from './types.js';
import { checkLedger, driftError, newerDatabaseError } from './verify-ledger.js';

/**
 * Brings the schema to the latest migration: under an advisory lock, on one dedicated connection, each step
 * in its own transaction with its ledger row. Refuses drifted files and newer databases, adopts tables made
 * by psql or an older Atlas (upgrading older layouts in place), checks privileges before executing anything,
 * and checks the resulting schema so a "column … does not exist" never reaches an export.
 */
export async function runMigrate(
  db: Queryable,
  opts: MigrateOptions & { access?: StoreAccess },
): Promise<MigrationReport> {
  return withDedicatedClient(db, (client) =>
    withMigrationLock(client, opts.schema, opts.logger, () => migrateLocked(client, opts)),
  );
}

async function migrateLocked(
  client: pg.ClientBase,
  opts: MigrateOptions & { access?: StoreAccess },
): Promise<MigrationReport> {
  const { schema, logger } = opts;
  const files = loadMigrationFiles(opts.migrationsDir);
  const objects = migrationObjects(files);
  const catalog = await readCatalog(client, schema);
  const ledger = catalog.tables.has(LEDGER_TABLE)
    ? await readLedgerOrExplain(client, catalog, objects, opts.access ?? 'write')
    : null;
  if (ledger && ledger.length > 0) {
    const check = checkLedger(files, ledger);
    if (check.unknown.length > 0) throw newerDatabaseError(schema, check.unknown, files, ATLAS_VERSION);
    if (check.drift.length > 0) throw driftError(schema, check.drift);
  }
  const legacy = !ledger || ledger.length === 0 ? await detectLegacyLayout(client, catalog, objects) : null;
  if (legacy && legacy.blockers.length > 0) {
    throw new SchemaError(
      `The tables in schema "${schema}" have an older layout Atlas cannot upgrade automatically:\n` +
        legacy.blockers.map((b) => `  - ${b}`).join('\n'),
    );
  }
  const steps = buildPlan({
    schema,
    atlasVersion: ATLAS_VERSION,
    files,
    objects,
    catalog,
    appliedVersions: ledger ? new Set(ledger.map((r) => r.version)) : null,
    legacy,
    dropLegacyColumns: opts.dropLegacyColumns === true,
    lockTimeoutMs: opts.lockTimeoutMs ?? DEFAULT_MIGRATION_LOCK_TIMEOUT_MS,
  });
  const report: MigrationReport = {
    schema,
    dryRun: opts.dryRun === true,
    atlasVersion: ATLAS_VERSION,
    fromVersion: Math.max(0, ...(ledger ?? []).map((r) => r.version)),
    latestVersion: files.at(-1)?.version ?? 0,
    steps: steps.map(publicStep),
  };
  if (opts.dryRun) return report;

  if (steps.length > 0) await preflightPrivileges(client, schema, steps, catalog);
  for (const [i, step] of steps.entries()) {
    const started = performance.now();
    try {
      await executeStep(client, step);
    } catch (err) {
      if (err instanceof PrivilegeFailure) {
        const priv = await checkPrivileges(client, schema, needsFor([step], catalog));
        const fromError = await fixForPrivilegeError(client, schema, err.message);
        const fixSql = [...new Set([...fromError, ...priv.fixSql])];
        if (fixSql.length === 0) throw new SchemaError(err.message, { cause: err });
        throw new SchemaError(
          `${err.message}\nRun these statements as the tables' owner or a superuser, then run Atlas again:\n` +
            fixSql.map((s) => `  ${s}`).join('\n'),
          { cause: err },
        );
      }
      throw err;
    }
    const durationMs = Math.round(performance.now() - started);
    const done = report.steps[i];
    if (done) done.durationMs = durationMs;
    logger?.info({ schema, step: step.kind, file: step.file, durationMs }, step.description);
  }
  await postflight(client, schema, files, objects, opts.access ?? 'write', logger);
  return report;
}

function publicStep(s: PlannedStep): MigrationStep {
  const { statements: _statements, ...rest } = s;
  return rest;
}

/** A pool lends one dedicated client for the whole run (the advisory lock is per session). */
async function withDedicatedClient<T>(db: Queryable, fn: (client: pg.ClientBase) => Promise<T>): Promise<T> {
  if (!isPool(db)) return fn(db);
  const client = await db.connect();
  let broken: Error | undefined;
  try {
    return await fn(client);
  } catch (err) {
    // A connection that failed mid-way may still hold the lock or an open transaction: discard it.
    if (!(err instanceof SchemaError)) broken = coerceError(err);
    throw err;
  } finally {
    client.release(broken);
  }
}

function isPool(db: Queryable): db is pg.Pool {
  return db instanceof pg.Pool || typeof (db as { totalCount?: unknown }).totalCount === 'number';
}
