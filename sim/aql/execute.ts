import type { Orders } from '../population/orders.js';
import type { Population } from '../population/population.js';
import { aggregateRows } from './aggregate.js';
import type { Query, SelectExpr } from './ast.js';
import { attributePath } from './checks.js';
import {
  compileCondition,
  type EvalEnv,
  extractHints,
  type Hints,
  type RowTest,
  resolveLiteral,
} from './conditions.js';
import { compileField, type Field } from './fields.js';
import type { Paging } from './paging.js';
import { findContained, matchesPredicate } from './rm-path.js';
import { Row } from './row.js';
import { comparable, RawJson, sortCompare } from './values.js';

export interface ResultTable {
  rows: unknown[][];
}

interface Column {
  expr: SelectExpr;
  field?: Field;
}

type Stream = { kind: 'time'; descending: boolean } | { kind: 'uid'; descending: boolean } | { kind: 'none' };

/** Which population order can produce rows already sorted by the first ORDER BY key. */
function streamFor(env: EvalEnv, q: Query): Stream {
  const first = q.orderBy[0];
  if (!first) return { kind: 'time', descending: false };
  const type = env.shape.aliases.get(first.path.alias)?.type;
  const attrs = attributePath(first.path);
  if (type === 'VERSION' && attrs === 'commit_audit/time_committed')
    return { kind: 'time', descending: first.descending };
  if (
    (type === 'COMPOSITION' || type === 'VERSION') &&
    attrs === 'uid/value' &&
    first.path.nodes.every((n) => !n.predicate)
  ) {
    return { kind: 'uid', descending: first.descending };
  }
  return { kind: 'none' };
}

export class Executor {
  constructor(
    private readonly pop: Population,
    private readonly orders: Orders,
  ) {}

  private compositionCandidates(hints: Hints, stream: Stream): Iterable<number> {
    if (hints.ehrIds) {
      const ehrs = [...new Set(hints.ehrIds.map((id) => this.pop.findEhr(id)).filter((e) => e >= 0))];
      const list = ehrs.flatMap((e) => this.orders.ofEhr(e));
      return list;
    }
    if (stream.kind === 'uid') return this.orders.byUid(stream.descending);
    return this.orders.byTime(
      stream.kind === 'time'
        ? {
            ...(hints.fromUs !== undefined
              ? { fromUs: hints.fromUs, fromInclusive: hints.fromInclusive ?? true }
              : {}),
            ...(hints.toUs !== undefined
              ? { toUs: hints.toUs, toInclusive: hints.toInclusive ?? false }
              : {}),
          }
        : {},
      stream.kind === 'time' && stream.descending,
    );
  }

  /** Rows of one composition: itself, or one per binding of the inner containment chain. */
  private expand(env: EvalEnv, row: Row, inner: EvalEnv['shape']['inner']): Row[] {
    if (inner.length === 0) return [row];
    let partial: unknown[][] = [[]];
    for (let k = 0; k < inner.length; k++) {
      const cls = inner[k]!;
      const next: unknown[][] = [];
      for (const bound of partial) {
        const scope = k === 0 ? row.canonical() : bound[k - 1];
        for (const node of findContained(scope, cls.type, cls.predicate, env.params))
          next.push([...bound, node]);
      }
      partial = next;
    }
    return partial.map((bindings) => {
      const r = new Row(this.pop, row.i, row.v, row.e);
      r.inner = bindings;
      return r;
    });
  }

  private *rowsOf(env: EvalEnv, hints: Hints, stream: Stream): Generator<Row> {
    const shape = env.shape;
    const pop = this.pop;
    if (shape.source !== 'composition') {
      const ehrs = hints.ehrIds
        ? [...new Set(hints.ehrIds.map((id) => pop.findEhr(id)).filter((e) => e >= 0))]
        : Array.from({ length: pop.totalEhrs }, (_, e) => e);
      for (const e of ehrs) yield new Row(pop, -1, 0, e);
      return;
    }
    const compPred = shape.composition?.predicate;
    for (const i of this.compositionCandidates(hints, stream)) {
      const row = new Row(pop, i, pop.version(i), pop.ehrIndex(i));
      if (compPred) {
        const p = pop.prototype(i);
        const head = row.generated()
          ? { archetype_node_id: p.archetypeNodeId, name: { value: p.name } }
          : row.canonical();
        if (!matchesPredicate(head, compPred, env.params)) continue;
      }
      yield* this.expand(env, row, shape.inner);
    }
  }

  run(env: EvalEnv, q: Query, paging: Paging): ResultTable {
    const columns: Column[] = q.select.map((expr) => ({
      expr,
      ...(expr.kind === 'path'
        ? { field: compileField(env.shape, expr.path, env.params) }
        : expr.kind === 'aggregate' && expr.arg !== '*'
          ? { field: compileField(env.shape, expr.arg, env.params) }
          : {}),
    }));
    const test: RowTest = q.where ? compileCondition(env, q.where) : () => true;
    const hints = extractHints(env, q);
    const stream =
      env.shape.source === 'composition' && !hints.ehrIds ? streamFor(env, q) : { kind: 'none' as const };
    const orderFields = q.orderBy.map((o) => ({
      field: compileField(env.shape, o.path, env.params),
      desc: o.descending,
    }));
    const keysOf = (row: Row) =>
      orderFields.map((o) => (o.field.instant ? o.field.instant(row) : comparable(o.field.value(row))));
    const compare = (a: unknown[], b: unknown[]) => {
      for (let k = 0; k < orderFields.length; k++) {
        const c = sortCompare(a[k], b[k]);
        if (c !== 0) return orderFields[k]!.desc ? -c : c;
      }
      return 0;
    };
    const cells = (row: Row) =>
      columns.map((c) =>
        c.expr.kind === 'literal' ? resolveLiteral(env, c.expr.value) : c.field!.value(row),
      );

    if (columns.some((c) => c.expr.kind === 'aggregate'))
      return { rows: this.aggregate(env, q, columns, paging, hints, stream, test) };

    const need = paging.limit !== undefined ? paging.offset + paging.limit : Number.POSITIVE_INFINITY;
    const streaming = stream.kind !== 'none' && Number.isFinite(need);
    if (streaming && stream.kind === 'uid' && q.orderBy.length === 1 && !q.distinct)
      return { rows: this.presortedPage(env, hints, stream, test, cells, paging) };
    const primary = (row: Row) => (stream.kind === 'uid' ? row.i : this.pop.timeUs(row.i));
    const collected: Array<{ row: Row; keys: unknown[]; cells?: unknown[] }> = [];
    const seen = q.distinct ? new Set<string>() : undefined;
    let boundary: number | undefined;
    for (const row of this.rowsOf(env, hints, stream)) {
      if (streaming && collected.length >= need) {
        // Keep rows tied on the stream's key: a secondary ORDER BY key may still reorder them.
        boundary ??= primary(collected[collected.length - 1]!.row);
        if (primary(row) !== boundary) break;
      }
      if (!test(row)) continue;
      const entry: { row: Row; keys: unknown[]; cells?: unknown[] } = {
        row,
        keys: q.orderBy.length ? keysOf(row) : [],
      };
      if (seen) {
        entry.cells = cells(row);
        const key = JSON.stringify(entry.cells, (_k, v) => (v instanceof RawJson ? v.text : v));
        if (seen.has(key)) continue;
        seen.add(key);
      }
      collected.push(entry);
    }
    if (q.orderBy.length > 0) collected.sort((a, b) => compare(a.keys, b.keys));
    const page = collected.slice(
      paging.offset,
      paging.limit !== undefined ? paging.offset + paging.limit : undefined,
    );
    return { rows: page.map((e) => e.cells ?? cells(e.row)) };
  }

  /**
   * A page of a query ordered by nothing but the uid the stream is already sorted by (e.g. offset paging
   * through a template's live compositions): rows before the offset are only counted, never given sort keys
   * or cells, and no sort is needed. Same rows as the general path (its sort is stable, the keys are equal
   * only within one composition's rows), at a cost that no longer grows with the offset squared.
   */
  private presortedPage(
    env: EvalEnv,
    hints: Hints,
    stream: Stream,
    test: RowTest,
    cells: (row: Row) => unknown[],
    paging: Paging,
  ): unknown[][] {
    const out: unknown[][] = [];
    let skipped = 0;
    for (const row of this.rowsOf(env, hints, stream)) {
      if (!test(row)) continue;
      if (skipped < paging.offset) {
        skipped++;
        continue;
      }
      if (out.length >= paging.limit!) break;
      out.push(cells(row));
    }
    return out;
  }

  private aggregate(
    env: EvalEnv,
    q: Query,
    columns: Column[],
    paging: Paging,
    hints: Hints,
    stream: Stream,
    test: RowTest,
  ): unknown[][] {
    const rows = function* (self: Executor) {
      for (const row of self.rowsOf(env, hints, stream)) if (test(row)) yield row;
    };
    const literal = (k: number) => {
      const expr = columns[k]!.expr;
      return expr.kind === 'literal' ? resolveLiteral(env, expr.value) : undefined;
    };
    const result = aggregateRows(columns, rows(this), literal);
    if (q.orderBy.length > 0) {
      const index = q.orderBy.map((o) =>
        columns.findIndex((c) => c.expr.kind === 'path' && c.expr.path.text.startsWith(o.path.text)),
      );
      result.sort((a, b) => {
        for (let k = 0; k < index.length; k++) {
          const c = sortCompare(comparable(a[index[k]!]), comparable(b[index[k]!]));
          if (c !== 0) return q.orderBy[k]!.descending ? -c : c;
        }
        return 0;
      });
    }
    return result.slice(paging.offset, paging.limit !== undefined ? paging.offset + paging.limit : undefined);
  }
}
