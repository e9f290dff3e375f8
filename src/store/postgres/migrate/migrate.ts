import pg from 'pg';
import type { Logger } from '../../../context.js';
import { SchemaError } from '../../../errors.js';
import { ATLAS_VERSION } from '../../../version.js';
import { createsTables, executeStep, PrivilegeFailure, tablesTouched } from './apply.js';
import { type Catalog, readCatalog } from './catalog.js';
import { loadMigrationFiles, type MigrationFile } from './files.js';
import { LEDGER_TABLE, readLedger } from './ledger.js';
import { detectLegacyLayout } from './legacy/index.js';
import { withMigrationLock } from './lock.js';
import { type MigrationObjects, migrationObjects } from './migration-objects.js';
import { buildPlan, type PlannedStep } from './plan.js';
import { fixForPrivilegeError } from './privilege-error.js';
import { checkPrivileges, type PrivilegeNeeds, privilegeMessage } from './privileges.js';
import { blockingProblems, compareSchema, restoreStatements } from './schema-diff.js';
import type { LedgerRow, MigrateOptions, MigrationReport, MigrationStep, Queryable } from './types.js';
import { checkLedger, driftError, newerDatabaseError } from './verify-ledger.js';

/**
 * Brings the schema to the latest migration: under an advisory lock, on one dedicated connection, each step
 * in its own transaction with its ledger row. Refuses drifted files and newer databases, adopts tables made
 * by psql or an older Atlas (upgrading older layouts in place), checks privileges before executing anything,
 * and checks the resulting schema so a "column … does not exist" never reaches an export.
 */
export async function runMigrate(
  db: Queryable,
  opts: MigrateOptions & { access?: 'read' | 'write' },
): Promise<MigrationReport> {
  return withDedicatedClient(db, (client) =>
    withMigrationLock(client, opts.schema, opts.logger, () => migrateLocked(client, opts)),
  );
}

async function migrateLocked(
  client: pg.ClientBase,
  opts: MigrateOptions & { access?: 'read' | 'write' },
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

async function readLedgerOrExplain(
  client: pg.ClientBase,
  catalog: Catalog,
  objects: MigrationObjects,
  access: 'read' | 'write',
): Promise<LedgerRow[]> {
  try {
    return await readLedger(client, catalog.schema);
  } catch (err) {
    if ((err as { code?: string }).code !== '42501') throw err;
    // Report every gap at once (ledger and tables), not one per attempt.
    const priv = await checkPrivileges(client, catalog.schema, {
      createSchema: false,
      createInSchema: false,
      ownTables: [],
      useTables: [...objects.tables.keys()].filter((t) => catalog.tables.has(t)),
      readTables: [LEDGER_TABLE],
      access,
    });
    throw new SchemaError(privilegeMessage(catalog.schema, priv, 'use the database'), { cause: err });
  }
}

function publicStep(s: PlannedStep): MigrationStep {
  const { statements: _statements, ...rest } = s;
  return rest;
}

async function preflightPrivileges(
  client: pg.ClientBase,
  schema: string,
  steps: PlannedStep[],
  catalog: Catalog,
): Promise<void> {
  const priv = await checkPrivileges(client, schema, needsFor(steps, catalog));
  if (priv.problems.length > 0) throw new SchemaError(privilegeMessage(schema, priv, 'migrate'));
}

function needsFor(steps: PlannedStep[], catalog: Catalog): PrivilegeNeeds {
  const touched = [...tablesTouched(steps)].filter((t) => catalog.tables.has(t) && t !== LEDGER_TABLE);
  return {
    createSchema: steps.some((s) => s.kind === 'create-schema'),
    createInSchema: createsTables(steps),
    ownTables: touched,
    useTables: catalog.tables.has(LEDGER_TABLE) ? [LEDGER_TABLE] : [],
    access: 'write',
  };
}

/** After migrating: the schema must be what this code expects, and the role must be able to use it. */
async function postflight(
  client: pg.ClientBase,
  schema: string,
  files: MigrationFile[],
  objects: MigrationObjects,
  access: 'read' | 'write',
  logger: Logger | undefined,
): Promise<void> {
  const catalog = await readCatalog(client, schema);
  const tables = compareSchema(catalog, objects, files.at(-1)?.version ?? 0);
  const problems = blockingProblems(tables);
  if (problems.length > 0) {
    throw new SchemaError(
      `The tables in schema "${schema}" differ from what Atlas ${ATLAS_VERSION} expects, although the ledger ` +
        `(${schema}.${LEDGER_TABLE}) records every migration as applied; they were changed by hand since:\n` +
        problems.map((p) => `  - ${p}`).join('\n') +
        restore(restoreStatements(tables, schema)) +
        `\nRestore them (see \`atlas migrate status\` for expected against actual), or point Atlas at another ` +
        `schema ([postgresql] schema).`,
    );
  }
  for (const t of tables) {
    const missingIdx = t.indexes.filter((i) => i.status === 'missing').map((i) => i.name);
    if (missingIdx.length > 0)
      logger?.warn({ table: t.name, indexes: missingIdx }, 'indexes missing (queries will be slower)');
  }
  const useTables = [...objects.tables.keys()].filter((t) => catalog.tables.has(t));
  const priv = await checkPrivileges(client, schema, {
    createSchema: false,
    createInSchema: false,
    ownTables: [],
    useTables,
    access,
  });
  if (priv.problems.length > 0)
    throw new SchemaError(privilegeMessage(schema, priv, access === 'write' ? 'write' : 'read'));
}

function restore(statements: string[]): string {
  if (statements.length === 0) return '';
  return `\nThese statements restore the missing columns (their old values are gone):\n${statements.map((s) => `  ${s}`).join('\n')}`;
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
    if (!(err instanceof SchemaError)) broken = err instanceof Error ? err : new Error(String(err));
    throw err;
  } finally {
    client.release(broken);
  }
}

function isPool(db: Queryable): db is pg.Pool {
  return db instanceof pg.Pool || typeof (db as { totalCount?: unknown }).totalCount === 'number';
}
