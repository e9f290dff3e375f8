import { fullId, type WtNode } from './node.js';

const NOT_ID_CHARACTER = /[^\p{Alphabetic}0-9._-]/gu;

/**
 * EHRbase's node id for a name (openEHR_SDK OPTParser.buildId): every character that is not a letter, an
 * ASCII digit, `.`, `_` or `-` becomes a space; spaces are trimmed and collapsed into single `_`; the result
 * is lower-cased (umlauts and other letters kept); a leading digit gets an `a` in front.
 */
export function buildId(name: string): string {
  const id = name.replace(NOT_ID_CHARACTER, ' ').trim().split(/\s+/).join('_').toLowerCase();
  return /^[0-9]/.test(id) ? `a${id}` : id;
}

/**
 * Numbers siblings that share an id (openEHR_SDK makeIdUnique): the first keeps the plain id, the k-th
 * gets `k` appended (`x`, `x2`, `x3`); a lone id loses an earlier number. An ELEMENT's children whose id is
 * the ELEMENT's plain id get the same number.
 */
export function makeIdsUnique(node: WtNode): void {
  const groups = new Map<string, WtNode[]>();
  for (const c of node.children) {
    const group = groups.get(c.id);
    if (group) group.push(c);
    else groups.set(c.id, [c]);
  }
  for (const group of groups.values()) {
    if (group.length === 1) {
      (group[0] as WtNode).idNumber = undefined;
      continue;
    }
    group.forEach((n, i) => {
      if (i === 0) return;
      n.idNumber = i + 1;
      if (n.rmType === 'ELEMENT') {
        for (const c of n.children) if (fullId(c) === n.id) c.idNumber = i + 1;
      }
    });
  }
}

/** Java `String.hashCode` (UTF-16 code units, 32-bit wrap-around). */
function javaHash(s: string): number {
  let h = 0;
  for (let i = 0; i < s.length; i++) h = (Math.imul(31, h) + s.charCodeAt(i)) | 0;
  return h;
}

/**
 * The iteration order of a `java.util.HashMap`/`HashSet` holding these string keys, inserted in the given
 * order: EHRbase fills language maps and the `languages` list from such collections, so matching its output
 * key for key means emulating it. Bucket = (h ^ h>>>16) & (capacity-1); ties keep insertion order.
 */
export function javaHashOrder(keys: readonly string[]): string[] {
  const unique = [...new Set(keys)];
  let capacity = 16;
  while (unique.length > capacity * 0.75) capacity *= 2;
  const bucket = (k: string) => {
    const h = javaHash(k);
    return (h ^ (h >>> 16)) & (capacity - 1);
  };
  return unique
    .map((k, i) => ({ k, i, b: bucket(k) }))
    .sort((x, y) => x.b - y.b || x.i - y.i)
    .map((e) => e.k);
}
