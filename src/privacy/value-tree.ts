/**
 * Maps every string and number inside a value (arrays and objects included, so nothing nested escapes) and
 * returns the same object when nothing changed. `pointer` is the JSON pointer of the leaf ('' at the top).
 */
export function mapLeaves(
  value: unknown,
  fn: (leaf: string | number, pointer: string) => unknown,
  pointer = '',
): unknown {
  if (typeof value === 'string' || typeof value === 'number') return fn(value, pointer);
  if (Array.isArray(value)) {
    let changed = false;
    const out = value.map((item, i) => {
      const mapped = mapLeaves(item, fn, `${pointer}/${i}`);
      changed ||= mapped !== item;
      return mapped;
    });
    return changed ? out : value;
  }
  if (value !== null && typeof value === 'object') {
    let changed = false;
    const out: Record<string, unknown> = {};
    for (const [k, item] of Object.entries(value)) {
      const mapped = mapLeaves(item, fn, `${pointer}/${k.replaceAll('~', '~0').replaceAll('/', '~1')}`);
      changed ||= mapped !== item;
      Object.defineProperty(out, k, { value: mapped, enumerable: true, writable: true, configurable: true });
    }
    return changed ? out : value;
  }
  return value;
}

/** `mapLeaves` for the value under a FLAT key; a leaf's path is the key, plus `#` and its pointer when nested. */
export function mapLeavesAt(
  key: string,
  value: unknown,
  fn: (leaf: string | number, path: string) => unknown,
): unknown {
  if (typeof value === 'string' || typeof value === 'number') return fn(value, key);
  if (value === null || typeof value !== 'object') return value;
  return mapLeaves(value, (leaf, pointer) => fn(leaf, `${key}#${pointer}`));
}
