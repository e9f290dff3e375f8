/**
 * Canonical JSON: object keys sorted recursively by UTF-16 code unit order (the order of `Array.prototype.sort`
 * without a comparator), no whitespace, strings and numbers exactly as `JSON.stringify` writes them. Values
 * `JSON.stringify` would drop (undefined, functions, symbols) are dropped from objects and become `null` in
 * arrays, `toJSON` is honoured, and a bigint throws, all as in `JSON.stringify`; so for JSON-like values
 * (what `JSON.parse` produces, plus undefined) `JSON.parse(canonicalJson(v))` deep-equals
 * `JSON.parse(JSON.stringify(v))`.
 *
 * Built as one string by appending (V8 ropes make that cheap) and hashed once; no sorted copy of the object
 * is ever created.
 */
export function canonicalJson(value: unknown): string {
  const flat = isPlainFlatObject(value) ? writeFlatObject(value) : undefined;
  if (flat !== undefined) return flat;
  const out = writeValue(value);
  // JSON.stringify returns undefined for a top-level undefined/function; canonical JSON has no such text.
  if (out === undefined) throw new TypeError('canonicalJson: value has no JSON representation');
  return out;
}

/** A FLAT composition: an ordinary object whose values are all primitives (the common case, made fast). */
function isPlainFlatObject(value: unknown): value is Record<string, unknown> {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  if (typeof (value as { toJSON?: unknown }).toJSON === 'function') return false;
  for (const v of Object.values(value)) {
    if (v !== null && typeof v === 'object') return false;
  }
  return true;
}

/**
 * With a property list as replacer, JSON.stringify writes exactly those keys in exactly that order (array
 * index keys included), natively; with no nested objects the list cannot filter anything else.
 */
function writeFlatObject(obj: Record<string, unknown>): string {
  return JSON.stringify(obj, Object.keys(obj).sort());
}

function writeValue(value: unknown): string | undefined {
  if (value === null) return 'null';
  switch (typeof value) {
    case 'string':
    case 'number':
    case 'boolean':
      return JSON.stringify(value);
    case 'object':
      return writeObjectLike(value);
    case 'bigint':
      // Same failure as JSON.stringify, instead of silently hashing something that cannot be stored.
      throw new TypeError('canonicalJson: a bigint cannot be serialised to JSON');
    default:
      return undefined;
  }
}

function writeObjectLike(value: object): string | undefined {
  const withToJson = value as { toJSON?: unknown };
  if (typeof withToJson.toJSON === 'function') {
    return writeValue((withToJson.toJSON as () => unknown).call(value));
  }
  if (Array.isArray(value)) return writeArray(value);
  return writeObject(value as Record<string, unknown>);
}

function writeArray(items: readonly unknown[]): string {
  let out = '[';
  for (let i = 0; i < items.length; i++) {
    if (i > 0) out += ',';
    out += writeValue(items[i]) ?? 'null';
  }
  return out + ']';
}

function writeObject(obj: Record<string, unknown>): string {
  const keys = Object.keys(obj).sort();
  let out = '{';
  let first = true;
  for (const key of keys) {
    const text = writeValue(obj[key]);
    if (text === undefined) continue;
    out += first ? JSON.stringify(key) : ',' + JSON.stringify(key);
    out += ':' + text;
    first = false;
  }
  return out + '}';
}
