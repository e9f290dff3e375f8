import { EXPORT_MODES, WATERMARK_STATUSES } from '../expected-schema.js';
import { quoteLiteral } from '../quote.js';
import type { LegacyChange } from '../types.js';
import { column, type LegacyCheck, probeTable, probeText, q } from './model.js';

/**
 * Values an older layout allowed but the seed's CHECK constraints do not, mapped to the nearest allowed value.
 * The original value of every mapped row is kept in a `legacy_<column>` column (dropped only with
 * --drop-legacy-columns). Mappings (documented in migrations/README.md):
 *  - export_mode: flatten/flattened/flat (any case) → flatten; everything else (`full`, the value the
 *    original's broken write path used, `dry_run`, …) → preserve, because that path stored the FLAT object.
 *  - watermark status: case/spelling variants → the canonical status; success/done → completed,
 *    error/failure → failed, cancelled/aborted → interrupted, pending → not_started, anything else → failed
 *    (what the original's reader did with an unknown status).
 */
interface Mapping {
  table: string;
  column: string;
  allowed: string[];
  map(value: string): string;
}

const MAPPINGS: Mapping[] = [
  {
    table: 'compositions',
    column: 'export_mode',
    allowed: EXPORT_MODES,
    map: (v) => (['flatten', 'flattened', 'flat'].includes(norm(v)) ? 'flatten' : 'preserve'),
  },
  {
    table: 'watermarks',
    column: 'last_export_status',
    allowed: WATERMARK_STATUSES,
    map: (v) => STATUS_SYNONYMS[norm(v)] ?? (WATERMARK_STATUSES.includes(norm(v)) ? norm(v) : 'failed'),
  },
];

const STATUS_SYNONYMS: Record<string, string> = {
  inprogress: 'in_progress',
  running: 'in_progress',
  started: 'in_progress',
  success: 'completed',
  succeeded: 'completed',
  done: 'completed',
  complete: 'completed',
  error: 'failed',
  failure: 'failed',
  cancelled: 'interrupted',
  canceled: 'interrupted',
  aborted: 'interrupted',
  pending: 'not_started',
  notstarted: 'not_started',
};

/** The value a legacy `table.column` value becomes (unchanged when already allowed or not mapped). */
export function mapLegacyValue(table: string, columnName: string, value: string): string {
  const m = MAPPINGS.find((x) => x.table === table && x.column === columnName);
  if (!m || m.allowed.includes(value)) return value;
  return m.map(value);
}

function norm(v: string): string {
  return v
    .trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
}

export const mapValues: LegacyCheck = async (ctx) => {
  const changes: LegacyChange[] = [];
  for (const m of MAPPINGS) {
    const table = ctx.tables.get(m.table);
    const col = table && column(table, m.column);
    if (!table || !col || col.added || table.rows === 0) continue;
    const found = await ctx.probe<{ value: string; n: string }>(
      `SELECT ${probeText(col)} AS value, count(*) AS n FROM ${probeTable(ctx, table)}
        WHERE ${q(col.original)} IS NOT NULL AND ${probeText(col)} <> ALL ($1::text[]) GROUP BY 1 ORDER BY 1`,
      [m.allowed],
    );
    if (found.length === 0) continue;
    const keep = `legacy_${m.column}`;
    const cases = found
      .map((f) => `WHEN ${quoteLiteral(f.value)} THEN ${quoteLiteral(m.map(f.value))}`)
      .join(' ');
    const list = found.map((f) => `'${f.value}' (${f.n} rows) → '${m.map(f.value)}'`).join(', ');
    const sql: string[] = [];
    if (!column(table, keep)) {
      sql.push(`ALTER TABLE ${q(m.table)} ADD COLUMN ${q(keep)} text`);
      table.columns.push({
        name: keep,
        original: keep,
        type: 'text',
        notNull: false,
        default: null,
        added: true,
      });
    }
    const inList = found.map((f) => quoteLiteral(f.value)).join(', ');
    sql.push(
      `UPDATE ${q(m.table)} SET ${q(keep)} = ${q(m.column)}, ${q(m.column)} = CASE ${q(m.column)} ${cases} END WHERE ${q(m.column)} IN (${inList})`,
    );
    changes.push({
      check: 'map-values',
      description: `${m.table}.${m.column}: map values the seed's CHECK does not allow: ${list}; originals kept in ${keep}`,
      sql,
    });
  }
  return changes;
};
