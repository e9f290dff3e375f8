import type pg from 'pg';
import type { Logger } from '../../../context.js';
import { SchemaError } from '../../../errors.js';
import { ATLAS_VERSION } from '../../../version.js';
import type { StoreAccess } from '../../types.js';
import { createsTables, tablesTouched } from './apply.js';
import { type Catalog, readCatalog } from './catalog.js';
import type { MigrationFile } from './files.js';
import { LEDGER_TABLE, readLedger } from './ledger.js';
import type { MigrationObjects } from './migration-objects.js';
import type { PlannedStep } from './plan.js';
import { checkPrivileges, type PrivilegeNeeds, privilegeMessage } from './privileges.js';
import { blockingProblems, compareSchema, restoreStatements } from './schema-diff.js';
import type { LedgerRow } from './types.js';

/**
 * The checks around a migration run: privileges before anything executes (every gap at once, with the
 * statements that close it), and the schema afterwards, so a table changed by hand is reported by name
 * instead of surfacing later as "column … does not exist".
 */

export async function readLedgerOrExplain(
  client: pg.ClientBase,
  catalog: Catalog,
  objects: MigrationObjects,
  access: StoreAccess,
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

export async function preflightPrivileges(
  client: pg.ClientBase,
  schema: string,
  steps: PlannedStep[],
  catalog: Catalog,
): Promise<void> {
  const priv = await checkPrivileges(client, schema, needsFor(steps, catalog));
  if (priv.problems.length > 0) throw new SchemaError(privilegeMessage(schema, priv, 'migrate'));
}

export function needsFor(steps: PlannedStep[], catalog: Catalog): PrivilegeNeeds {
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
export async function postflight(
  client: pg.ClientBase,
  schema: string,
  files: MigrationFile[],
  objects: MigrationObjects,
  access: StoreAccess,
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
