import type pg from 'pg';
import type { Catalog } from '../catalog.js';
import { tableSpec } from '../expected-schema.js';
import type { MigrationObjects } from '../migration-objects.js';
import { qualified } from '../quote.js';
import type { LegacyChange } from '../types.js';
import { convertTypes } from './column-types.js';
import { ensureConstraints } from './constraints.js';
import { relaxExtraColumns } from './extra-columns.js';
import { fillNulls, setNotNull } from './fill-nulls.js';
import { ensureIndexes } from './indexes.js';
import { addMissingColumns } from './missing-columns.js';
import { type LegacyCheck, type LegacyContext, type ModelTable, modelFromCatalog } from './model.js';
import { renameColumns } from './renames.js';
import { mapValues } from './value-mapping.js';
import { foldVersionRows } from './version-rows.js';
import { rewriteWatermarkIds } from './watermark-ids.js';

export interface LegacyDetection {
  /** compositions or watermarks exist (without a ledger: made by psql or an earlier Atlas). */
  present: boolean;
  /** Ordered changes that bring the tables to the seed schema (001), carrying every row. */
  changes: LegacyChange[];
  /** Problems that need a human; migrate refuses while there are any. */
  blockers: string[];
  /** Columns of each table once the changes ran (for --drop-legacy-columns in the same run). */
  finalColumns: Map<string, string[]>;
}

/** The checks, in the order their SQL runs (each sees the tables as the previous ones left them). */
const CHECKS: LegacyCheck[] = [
  renameColumns,
  convertTypes,
  addMissingColumns,
  mapValues,
  fillNulls('compositions'),
  foldVersionRows,
  rewriteWatermarkIds,
  fillNulls('watermarks'),
  setNotNull,
  relaxExtraColumns,
  ensureConstraints,
  ensureIndexes,
];

const SEED_TABLES = ['compositions', 'watermarks'];

/**
 * Reads compositions/watermarks as they are and lists what would bring them to 001's layout without losing a
 * row. An empty list means the layout already is 001's (e.g. applied by hand with psql): adopt it as is.
 */
export async function detectLegacyLayout(
  client: pg.ClientBase,
  catalog: Catalog,
  objects: MigrationObjects,
): Promise<LegacyDetection> {
  const tables = new Map<string, ModelTable>();
  for (const name of SEED_TABLES) {
    if (!catalog.tables.has(name)) continue;
    const count = await client.query<{ n: string }>(
      `SELECT count(*) AS n FROM ${qualified(catalog.schema, name)}`,
    );
    const model = modelFromCatalog(catalog, name, Number(count.rows[0]?.n ?? 0));
    if (model) tables.set(name, model);
  }
  if (tables.size === 0) return { present: false, changes: [], blockers: [], finalColumns: new Map() };
  const ctx: LegacyContext = {
    schema: catalog.schema,
    tables,
    blockers: [],
    atlasColumns: (table) =>
      new Set([
        ...(tableSpec(table)?.columns.map((c) => c.name) ?? []),
        ...objects.addedColumns.filter((a) => a.table === table).map((a) => a.column),
      ]),
    probe: async (sql, params) => (await client.query(sql, params)).rows,
  };
  const changes: LegacyChange[] = [];
  for (const check of CHECKS) changes.push(...(await check(ctx)));
  const finalColumns = new Map([...tables].map(([name, t]) => [name, t.columns.map((c) => c.name)]));
  return { present: true, changes, blockers: ctx.blockers, finalColumns };
}
