const DEFAULT_MAX_ENTRIES = 50_000;

/**
 * Looks `key` up in a bounded cache owned by one anonymiser (never module-wide), computing it on a miss.
 * Keyed values and key plans recur constantly (the same composer, the same dates in every entry, the same
 * FLAT keys in every composition of a template), and an HMAC or a classification costs far more than a Map
 * lookup. When full the cache starts over, which bounds memory without bookkeeping.
 */
export function cachedIn<V>(cache: Map<string, V>, key: string, maxEntries: number, compute: () => V): V {
  let value = cache.get(key);
  if (value === undefined) {
    if (cache.size >= maxEntries) cache.clear();
    value = compute();
    cache.set(key, value);
  }
  return value;
}

/** A string function with a bounded memory (see `cachedIn`). */
export function memoize<V>(fn: (input: string) => V, maxEntries = DEFAULT_MAX_ENTRIES): (input: string) => V {
  const cache = new Map<string, V>();
  return (input) => cachedIn(cache, input, maxEntries, () => fn(input));
}
