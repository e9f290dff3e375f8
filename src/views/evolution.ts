import { claimUnique } from './identifiers.js';
import { MAIN_META_COLUMNS, REPEATING_META_COLUMNS } from './model.js';
import type { ViewColumn, ViewModel } from './types.js';

/** What changed in the views of a template between two generations. */
export interface ViewChange {
  view: string;
  change:
    | 'view added'
    | 'view removed'
    | 'view restored'
    | 'view pruned'
    | 'added'
    | 'removed'
    | 'restored'
    | 'retyped'
    | 'pruned';
  column?: string;
  path?: string;
  from?: string;
  to?: string;
}

export interface MergeResult {
  /** The views to have after this generation (removed ones kept unless pruned). */
  views: ViewModel[];
  /** Previous views that go away (pruned). */
  dropped: ViewModel[];
  /** Views whose columns cannot be reached by CREATE OR REPLACE VIEW (a type changed, a column pruned). */
  needsRecreate: Set<string>;
  changes: ViewChange[];
}

/**
 * Merges a freshly built model with the previous generation so names stay stable and nothing a user may rely
 * on disappears silently: a view keeps its name (matched by the FLAT path of its node), a column keeps its
 * name and position (matched by FLAT path); new columns go at the end; a data point gone from the template
 * keeps its column as NULL (and a gone repeating node its view, empty) until `pruneRemoved`.
 */
export function mergeWithPrevious(
  fresh: ViewModel[],
  previous: ViewModel[],
  opts: { pruneRemoved: boolean; now: string },
): MergeResult {
  const result: MergeResult = { views: [], dropped: [], needsRecreate: new Set(), changes: [] };
  const previousByNode = new Map(previous.map((v) => [v.nodePath, v]));
  for (const view of fresh) {
    const before = previousByNode.get(view.nodePath);
    previousByNode.delete(view.nodePath);
    if (!before) {
      result.views.push(view);
      result.changes.push({ view: view.name, change: 'view added' });
      continue;
    }
    if (before.removedAt) result.changes.push({ view: before.name, change: 'view restored' });
    result.views.push(mergeView(view, before, opts, result));
  }
  for (const gone of previousByNode.values()) {
    if (opts.pruneRemoved) {
      result.dropped.push(gone);
      result.changes.push({ view: gone.name, change: 'view pruned' });
      continue;
    }
    if (!gone.removedAt) result.changes.push({ view: gone.name, change: 'view removed' });
    const removedAt = gone.removedAt ?? opts.now;
    result.views.push({
      ...gone,
      removedAt,
      columns: gone.columns.map((c) => ({ ...c, removedAt: c.removedAt ?? removedAt })),
    });
  }
  return result;
}

function mergeView(
  view: ViewModel,
  before: ViewModel,
  opts: { pruneRemoved: boolean; now: string },
  result: MergeResult,
): ViewModel {
  const fresh = new Map(view.columns.map((c) => [c.path, c]));
  const meta: readonly string[] = view.kind === 'main' ? MAIN_META_COLUMNS : REPEATING_META_COLUMNS;
  const taken = new Set([...meta, ...before.indexColumns, ...before.columns.map((c) => c.name)]);
  const columns: ViewColumn[] = [];
  const note = (change: ViewChange['change'], c: ViewColumn, extra: Partial<ViewChange> = {}) =>
    result.changes.push({ view: before.name, change, column: c.name, path: c.path, ...extra });
  for (const old of before.columns) {
    const now = fresh.get(old.path);
    fresh.delete(old.path);
    if (now) {
      if (now.sqlType !== old.sqlType) {
        note('retyped', old, { from: old.sqlType, to: now.sqlType });
        result.needsRecreate.add(before.name);
      }
      if (old.removedAt) note('restored', old);
      columns.push({ ...now, name: old.name });
    } else if (opts.pruneRemoved) {
      note('pruned', old);
      result.needsRecreate.add(before.name);
    } else {
      if (!old.removedAt) note('removed', old);
      columns.push({ ...old, removedAt: old.removedAt ?? opts.now });
    }
  }
  for (const added of fresh.values()) {
    const column = { ...added, name: claimUnique(added.name, taken) };
    note('added', column);
    columns.push(column);
  }
  const merged: ViewModel = { ...view, name: before.name, indexColumns: before.indexColumns, columns };
  delete merged.removedAt;
  return merged;
}
