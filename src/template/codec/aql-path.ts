/** One step of a web template `aqlPath`: `attr[nodeId,'name']`. */
export interface PathStep {
  attr: string;
  nodeId?: string;
  name?: string;
}

/** Split an aqlPath on `/` outside brackets and quotes, then read each step's predicate. */
export function parseAqlPath(path: string): PathStep[] {
  const parts: string[] = [];
  let cur = '';
  let depth = 0;
  let quote: string | undefined;
  for (const ch of path) {
    if (quote) {
      cur += ch;
      if (ch === quote) quote = undefined;
      continue;
    }
    if (ch === "'" || ch === '"') quote = ch;
    if (ch === '[') depth++;
    if (ch === ']') depth--;
    if (ch === '/' && depth === 0) {
      if (cur) parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  if (cur) parts.push(cur);
  return parts.map((part) => {
    const open = part.indexOf('[');
    if (open < 0) return { attr: part };
    const attr = part.slice(0, open);
    const inner = part.slice(open + 1, part.lastIndexOf(']')).trim();
    const nameMatch = /(?:,|\s+and\s+name\/value\s*=)\s*(['"])(.*)\1\s*$/.exec(inner);
    const nodeId = inner.split(/\s*,|\s+and\s+/)[0]!.trim();
    return { attr, ...(nodeId ? { nodeId } : {}), ...(nameMatch ? { name: nameMatch[2]! } : {}) };
  });
}

/** Steps of `child` below `parent` (web template aqlPaths are absolute from the composition). */
export function relativeSteps(parentPath: string | undefined, childPath: string | undefined): PathStep[] {
  const parent = parseAqlPath(parentPath ?? '');
  const child = parseAqlPath(childPath ?? '');
  return child.slice(parent.length);
}

/** RM attributes holding lists (a FLAT index `:n` selects an item). */
export const LIST_ATTRS = new Set([
  'content',
  'items',
  'events',
  'activities',
  'other_participations',
  'links',
  'participations',
]);
