import type pg from 'pg';
import { ATLAS_VERSION } from '../../../version.js';
import type { StoreAccess } from '../../types.js';
import { createsTables, tablesTouched } from './apply.js';
import { readCatalog } from './catalog.js';
import { loadMigrationFiles } from './files.js';
import { LEDGER_TABLE, readLedger } from './ledger.js';
import { detectLegacyLayout } from './legacy/index.js';
import { migrationObjects } from './migration-objects.js';
import { buildPlan } from './plan.js';
import { checkPrivileges } from './privileges.js';
import { compareSchema } from './schema-diff.js';
import type { MigrationState, MigrationStatus, Queryable } from './types.js';
import { checkLedger } from './verify-ledger.js';

/**
 * Read-only picture for `atlas migrate status`: applied, pending and unknown migrations, checksum drift, what a
 * legacy layout would need, expected against actual tables/columns/constraints/indexes, and privilege gaps with
 * the statements that close them. Never changes anything and never throws for a bad schema (it reports it).
 */
export async function readMigrationStatus(
  db: Queryable,
  opts: { schema: string; migrationsDir?: string; access?: StoreAccess },
): Promise<MigrationStatus> {
  const client = 'totalCount' in db ? await (db as pg.Pool).connect() : (db as pg.ClientBase);
  try {
    return await statusOn(client, opts);
  } finally {
    if (client !== db) (client as pg.PoolClient).release();
  }
}

async function statusOn(
  client: pg.ClientBase,
  opts: { schema: string; migrationsDir?: string; access?: StoreAccess },
) {
  const { schema } = opts;
  const files = loadMigrationFiles(opts.migrationsDir);
  const objects = migrationObjects(files);
  const catalog = await readCatalog(client, schema);
  const ledgerExists = catalog.tables.has(LEDGER_TABLE);
  // A role that may not read the tables still gets a report: state 'no-access' and the GRANTs it needs.
  let readable = true;
  const denied = (err: unknown) => {
    if ((err as { code?: string }).code !== '42501') throw err;
    readable = false;
    return null;
  };
  const ledger = (ledgerExists ? await readLedger(client, schema).catch(denied) : []) ?? [];
  const check = checkLedger(files, ledger);
  const legacy =
    readable && ledger.length === 0 ? await detectLegacyLayout(client, catalog, objects).catch(denied) : null;
  const byVersion = new Map(files.map((f) => [f.version, f]));
  let state: MigrationState;
  if (!readable) state = 'no-access';
  else if (check.unknown.length > 0) state = 'newer';
  else if (check.drift.length > 0) state = 'drift';
  else if (legacy?.present && legacy.changes.some((c) => c.sql.length > 0)) state = 'legacy';
  else if (ledger.length === 0 && !legacy?.present) state = 'empty';
  else state = check.pending.length > 0 || ledger.length === 0 ? 'pending' : 'up-to-date';

  const steps = buildPlan({
    schema,
    atlasVersion: ATLAS_VERSION,
    files,
    objects,
    catalog,
    appliedVersions: ledgerExists ? new Set(ledger.map((r) => r.version)) : null,
    legacy,
    dropLegacyColumns: false,
  });
  const existing = [...objects.tables.keys()].filter((t) => catalog.tables.has(t));
  const privileges = await checkPrivileges(client, schema, {
    createSchema: !catalog.schemaExists,
    createInSchema: createsTables(steps),
    ownTables: [...tablesTouched(steps)].filter((t) => catalog.tables.has(t) && t !== LEDGER_TABLE),
    useTables: existing,
    readTables: [LEDGER_TABLE],
    access: opts.access ?? 'write',
  });
  return {
    schema,
    atlasVersion: ATLAS_VERSION,
    state,
    schemaExists: catalog.schemaExists,
    ledgerExists,
    applied: ledger.map((r) => {
      const f = byVersion.get(r.version);
      return { ...r, file: f?.name ?? null, checksumMatches: f ? f.checksum === r.checksum : null };
    }),
    pending: check.pending.map((f) => ({ version: f.version, file: f.name })),
    unknown: check.unknown,
    legacyChanges: legacy?.changes ?? [],
    legacyBlockers: legacy?.blockers ?? [],
    tables: compareSchema(catalog, objects, files.at(-1)?.version ?? 0),
    privileges,
  } satisfies MigrationStatus;
}
