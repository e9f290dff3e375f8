/**
 * "Did you mean" for unknown keys and variables. A key that exists elsewhere with the same last segment wins
 * (a misplaced `batch_size` under [openehr] points to `openehr.query.batch_size`); otherwise the smallest
 * edit distance over the whole path. (commander has a similar helper but keeps it private and stays silent
 * when nothing is close; we always name the closest valid key.)
 */
export function closestMatch(word: string, candidates: readonly string[], separator: string): string {
  const leaf = (s: string) => s.slice(s.lastIndexOf(separator) + 1);
  const sameLeaf = candidates.filter((c) => leaf(c) === leaf(word));
  const pool = sameLeaf.length > 0 ? sameLeaf : candidates;
  let best = pool[0] ?? '';
  let bestDistance = Number.POSITIVE_INFINITY;
  for (const c of pool) {
    const d = editDistance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best;
}

/** Levenshtein distance (insert, delete, substitute), one rolling row. */
export function editDistance(a: string, b: string): number {
  let prev = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      row[j] = Math.min(prev[j]! + 1, row[j - 1]! + 1, prev[j - 1]! + cost);
    }
    prev = row;
  }
  return prev[b.length]!;
}
