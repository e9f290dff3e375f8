import type { DataPoint } from './data-points.js';
import { claimUnique, fitColumnName, fitViewName, snakePart } from './identifiers.js';
import type { PathSegment } from './types.js';

/**
 * Base names (as parts, joined later with `__`) of data points within one view: the snake-cased id of the node, and where several points share
 * it, the nearest ancestor id that tells them apart (`husten__vorhanden`, `schnupfen__vorhanden` rather
 * than `spezifisches_symptom_anzeichen__vorhanden` twice). Ancestors common to the whole clash are skipped.
 * Whatever still clashes after the ancestors run out is settled by `claimUnique` (`_2`, `_3`).
 */
export function dataPointBaseNames(points: DataPoint[], viewDepth: number): string[][] {
  // Ancestors between the view's node (exclusive) and the point (exclusive), nearest first.
  const ancestors = points.map((p) =>
    p.segments
      .slice(viewDepth, -1)
      .map((s) => snakePart(s.id))
      .reverse(),
  );
  const names = points.map((p) => [snakePart(p.segments[p.segments.length - 1]!.id)]);
  const used = points.map(() => 0);
  for (;;) {
    let changed = false;
    for (const members of clashes(names.map((n) => n.join('__')))) {
      const d = firstDifferingDepth(members.map((i) => ancestors[i]!.slice(used[i]!)));
      if (d === undefined) continue;
      for (const i of members) {
        const a = ancestors[i]![used[i]! + d];
        if (a === undefined) continue;
        names[i]!.unshift(a);
        used[i] = used[i]! + d + 1;
        changed = true;
      }
    }
    if (!changed) return names;
  }
}

/** Index lists of names that occur more than once. */
function clashes(names: string[]): number[][] {
  const byName = new Map<string, number[]>();
  names.forEach((n, i) => {
    byName.set(n, [...(byName.get(n) ?? []), i]);
  });
  return [...byName.values()].filter((g) => g.length > 1);
}

/** Smallest depth at which the ancestor lists are not all equal; undefined when they never differ. */
function firstDifferingDepth(lists: string[][]): number | undefined {
  const longest = Math.max(...lists.map((l) => l.length));
  for (let d = 0; d < longest; d++) {
    const first = lists[0]![d];
    if (lists.some((l) => l[d] !== first)) return d;
  }
  return undefined;
}

/** Column name of one attribute of a data point: the point's base name and the attribute's name part. */
export function attributeColumnName(baseParts: string[], namePart: string): string {
  return fitColumnName(baseParts, namePart === '' ? '' : `_${snakePart(namePart)}`);
}

/** `<template>` for the main view, `<template>__<repeating ids…>` for the view of a repeating node. */
export function viewBaseName(templateId: string, segments: PathSegment[]): string {
  const repeating = segments.filter((s) => s.repeating).map((s) => snakePart(s.id));
  return fitViewName([snakePart(templateId), ...repeating]);
}

/** Index columns of a repeating view, one per repeating node from the outermost down (`any_event_index`). */
export function indexColumnNames(segments: PathSegment[], taken: Set<string>): string[] {
  return segments.filter((s) => s.repeating).map((s) => claimUnique(`${snakePart(s.id)}_index`, taken));
}
