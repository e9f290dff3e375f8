import type { Catalog, ConstraintInfo, IndexInfo } from '../catalog.js';
import type { ColumnSpec } from '../expected-schema.js';
import { tableSpec } from '../expected-schema.js';
import { qualified, quoteIdent } from '../quote.js';
import type { LegacyChange } from '../types.js';

/**
 * The legacy-layout detection works on a model of compositions and watermarks that each check updates as
 * it emits SQL (a rename changes the column's name, a type change its type), so later checks see the table
 * as it will be at their turn, while probes (row counts, value lists) still read the untouched database
 * through the columns' original names. Nothing is executed during detection: a dry run shows exactly this.
 */
export interface ModelColumn {
  name: string;
  /** Name in the database as it is now (probes use it). */
  original: string;
  type: string;
  notNull: boolean;
  default: string | null;
  /** Added by a check (absent in the database now: probes cannot read it). */
  added?: boolean;
}

export interface ModelTable {
  name: string;
  columns: ModelColumn[];
  constraints: ConstraintInfo[];
  indexes: IndexInfo[];
  rows: number;
}

export interface LegacyContext {
  schema: string;
  /** compositions and watermarks, when present. */
  tables: Map<string, ModelTable>;
  /** Columns an Atlas migration defines for a table (expected schema + ADD COLUMN in migration files). */
  atlasColumns(table: string): Set<string>;
  /** Read-only query on the database as it is now. */
  probe<R extends Record<string, unknown>>(sql: string, params?: unknown[]): Promise<R[]>;
  /** Problems no automatic step can solve (detection reports them; migrate refuses). */
  blockers: string[];
}

export type LegacyCheck = (ctx: LegacyContext) => Promise<LegacyChange[]>;

export function modelFromCatalog(catalog: Catalog, name: string, rows: number): ModelTable | undefined {
  const t = catalog.tables.get(name);
  if (!t) return undefined;
  return {
    name,
    columns: t.columns.map((c) => ({
      name: c.name,
      original: c.name,
      type: c.type,
      notNull: c.notNull,
      default: c.default,
    })),
    constraints: t.constraints.map((c) => ({ ...c, columns: [...c.columns] })),
    indexes: t.indexes.map((i) => ({ ...i })),
    rows,
  };
}

export function column(table: ModelTable, name: string): ModelColumn | undefined {
  return table.columns.find((c) => c.name === name);
}

/** The seed (001) columns of a table: what the legacy upgrade brings every older layout to. */
export function seedColumns(table: string): ColumnSpec[] {
  return tableSpec(table)?.columns.filter((c) => c.since === 1) ?? [];
}

/** `"schema"."table"` for probes. */
export function probeTable(ctx: LegacyContext, table: ModelTable): string {
  return qualified(ctx.schema, table.name);
}

/** Column reference for a probe (original name; cast to text so uuid/varchar layouts compare alike). */
export function probeText(col: ModelColumn): string {
  return `${quoteIdent(col.original)}::text`;
}

export const q = quoteIdent;
