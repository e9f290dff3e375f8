import type { AggregateFn, SelectExpr } from './ast.js';
import type { Field } from './fields.js';
import type { Row } from './row.js';
import { comparable, RawJson, sortCompare } from './values.js';

/** Running state of one aggregate column (no per-row arrays: COUNT over a million rows stays flat). */
class Accumulator {
  private count = 0;
  private sum = 0;
  private numeric = 0;
  private best: { key: unknown; value: unknown } | undefined;
  private readonly seen: Set<string> | undefined;

  constructor(
    private readonly fn: AggregateFn,
    distinct: boolean,
    private readonly field: Field | undefined,
  ) {
    this.seen = distinct ? new Set() : undefined;
  }

  add(row: Row): void {
    if (!this.field || (this.fn === 'COUNT' && this.field.nonNull && !this.seen)) {
      this.count++;
      return;
    }
    const value = this.field.value(row);
    if (value === undefined || value === null) return;
    if (this.seen) {
      const key = value instanceof RawJson ? value.text : JSON.stringify(value);
      if (this.seen.has(key)) return;
      this.seen.add(key);
    }
    this.count++;
    const key = comparable(value);
    if (typeof key === 'number') {
      this.sum += key;
      this.numeric++;
    }
    if ((this.fn === 'MIN' || this.fn === 'MAX') && key !== undefined) {
      const c = this.best === undefined ? 0 : sortCompare(key, this.best.key);
      if (this.best === undefined || (this.fn === 'MIN' ? c < 0 : c > 0)) this.best = { key, value };
    }
  }

  result(): unknown {
    switch (this.fn) {
      case 'COUNT':
        return this.count;
      case 'SUM':
        return this.numeric ? this.sum : null;
      case 'AVG':
        return this.numeric ? this.sum / this.numeric : null;
      default:
        return this.best?.value ?? null;
    }
  }
}

export interface AggColumn {
  expr: SelectExpr;
  field?: Field;
}

/**
 * Aggregates with implicit grouping by the non-aggregate columns (as in
 * `SELECT c/archetype_details/template_id/value, COUNT(*) FROM COMPOSITION c`).
 */
export function aggregateRows(
  columns: AggColumn[],
  rows: Iterable<Row>,
  literal: (k: number) => unknown,
): unknown[][] {
  const plain = columns.map((c, k) => (c.expr.kind === 'aggregate' ? -1 : k)).filter((k) => k >= 0);
  const groups = new Map<string, { first: unknown[]; acc: Array<Accumulator | undefined> }>();
  const newGroup = (first: unknown[]) => ({
    first,
    acc: columns.map((c) =>
      c.expr.kind === 'aggregate' ? new Accumulator(c.expr.fn, c.expr.distinct, c.field) : undefined,
    ),
  });
  for (const row of rows) {
    const values = plain.map((k) =>
      columns[k]!.expr.kind === 'literal' ? literal(k) : columns[k]!.field!.value(row),
    );
    const key =
      plain.length === 0 ? '' : JSON.stringify(values, (_k, v) => (v instanceof RawJson ? v.text : v));
    let g = groups.get(key);
    if (!g) {
      g = newGroup(values);
      groups.set(key, g);
    }
    for (const acc of g.acc) acc?.add(row);
  }
  if (groups.size === 0 && plain.length === 0) groups.set('', newGroup([]));
  return [...groups.values()].map((g) => {
    let p = 0;
    return columns.map((c, k) => (c.expr.kind === 'aggregate' ? g.acc[k]!.result() : g.first[p++]));
  });
}
