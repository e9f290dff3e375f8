import type { JsonPath } from './body-template.js';

/**
 * Pairs the numeric leaves of a FLAT prototype with the same leaves in its canonical JSON, so a variant
 * jitters both forms identically. FLAT keys are in document order and so are canonical nodes; a FLAT
 * value is paired with the next canonical node of the same kind and equal value (greedy alignment), and
 * left alone when there is none — never a wrong pair, at worst an unvaried field.
 */
export interface NumericPair {
  flatKey: string;
  canonicalPath: JsonPath;
  base: number;
  /** Decimals kept when jittering (0 = integer). */
  decimals: number;
}

type Kind = 'quantity' | 'count';
interface CanonicalLeaf {
  kind: Kind;
  path: JsonPath;
  value: number;
}

const SKIP_ATTRS = new Set(['normal_range', 'other_reference_ranges']);

function collectCanonical(node: unknown, path: (string | number)[], out: CanonicalLeaf[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => {
      collectCanonical(item, [...path, i], out);
    });
    return;
  }
  if (node === null || typeof node !== 'object') return;
  const obj = node as Record<string, unknown>;
  const type = typeof obj._type === 'string' ? obj._type : '';
  if (type.startsWith('DV_INTERVAL')) return;
  if ((type === 'DV_QUANTITY' || type === 'DV_COUNT') && typeof obj.magnitude === 'number') {
    out.push({
      kind: type === 'DV_QUANTITY' ? 'quantity' : 'count',
      path: [...path, 'magnitude'],
      value: obj.magnitude,
    });
  }
  for (const [key, value] of Object.entries(obj)) {
    if (!SKIP_ATTRS.has(key)) collectCanonical(value, [...path, key], out);
  }
}

function flatKind(key: string, value: unknown): Kind | undefined {
  if (typeof value !== 'number') return undefined;
  if (key.includes('/_normal_range') || key.includes('/_other_reference_ranges')) return undefined;
  if (/\/(lower|upper)\|magnitude$/.test(key)) return undefined;
  if (key.endsWith('|magnitude')) return 'quantity';
  if (!key.includes('|') && Number.isInteger(value)) return 'count';
  return undefined;
}

function decimalsOf(n: number): number {
  const frac = String(n).split('.')[1];
  return Math.min(frac ? frac.length : 0, 3);
}

export function pairNumericFields(flat: Record<string, unknown>, canonical: unknown): NumericPair[] {
  const leaves: CanonicalLeaf[] = [];
  collectCanonical(canonical, [], leaves);
  const next: Record<Kind, number> = { quantity: 0, count: 0 };
  const pairs: NumericPair[] = [];
  for (const [key, value] of Object.entries(flat)) {
    const kind = flatKind(key, value);
    if (!kind) continue;
    for (let j = next[kind]; j < leaves.length; j++) {
      const leaf = leaves[j]!;
      if (leaf.kind === kind && leaf.value === value) {
        pairs.push({
          flatKey: key,
          canonicalPath: leaf.path,
          base: value as number,
          decimals: kind === 'count' ? 0 : decimalsOf(value as number),
        });
        next[kind] = j + 1;
        break;
      }
    }
  }
  return pairs;
}
