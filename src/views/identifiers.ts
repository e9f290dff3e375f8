import { createHash } from 'node:crypto';

/** PostgreSQL's identifier limit (NAMEDATALEN - 1), in bytes: longer names are silently truncated by the server. */
export const MAX_IDENTIFIER_BYTES = 63;

/** German convention first (körpergewicht → koerpergewicht), then any letter with an ASCII base loses its mark. */
const TRANSLITERATIONS: Record<string, string> = {
  ä: 'ae',
  ö: 'oe',
  ü: 'ue',
  ß: 'ss',
  æ: 'ae',
  ø: 'oe',
  œ: 'oe',
  å: 'aa',
  đ: 'd',
  ł: 'l',
  þ: 'th',
  ı: 'i',
};

/**
 * A web-template id as a readable snake_case identifier part: CamelCase split, lower-case, transliterated to ASCII where a
 * Latin letter has an obvious ASCII spelling, other letters and digits of any script kept (PostgreSQL
 * accepts them in identifiers), everything else (dots, dashes, spaces, punctuation) → `_`, runs of `_`
 * collapsed, no leading or trailing `_`. Empty results become `x`.
 */
export function snakePart(id: string): string {
  // CamelCase words apart first (AlternativeEvents → alternative_events, ABCDef → abc_def).
  const lower = id
    .replace(/([\p{Ll}\p{N}])(\p{Lu})/gu, '$1_$2')
    .replace(/(\p{Lu})(\p{Lu}\p{Ll})/gu, '$1_$2')
    .toLowerCase();
  let out = '';
  for (const ch of lower) {
    const t = TRANSLITERATIONS[ch];
    if (t !== undefined) {
      out += t;
      continue;
    }
    // Decompose (é → e + ◌́) and drop the combining marks; letters without a decomposition stay.
    const base = ch.normalize('NFKD').replace(/\p{M}/gu, '');
    out += /^[\p{L}\p{N}]+$/u.test(base) ? base.toLowerCase() : '_';
  }
  const collapsed = out.replace(/_+/g, '_').replace(/^_|_$/g, '');
  return collapsed === '' ? 'x' : collapsed;
}

/** Byte length in UTF-8 (the server's encoding for Atlas databases). */
export function byteLength(s: string): number {
  return Buffer.byteLength(s, 'utf8');
}

/** The longest prefix of `s` that fits in `maxBytes`, cut on a character boundary. */
export function truncateBytes(s: string, maxBytes: number): string {
  if (byteLength(s) <= maxBytes) return s;
  let out = '';
  let used = 0;
  for (const ch of s) {
    const b = byteLength(ch);
    if (used + b > maxBytes) break;
    out += ch;
    used += b;
  }
  return out;
}

/** First hex digits of the SHA-256 of `s`: the stable tag that keeps truncated names distinct. */
export function shortHash(s: string, length = 8): string {
  return createHash('sha256').update(s, 'utf8').digest('hex').slice(0, length);
}

/**
 * Makes a valid, readable identifier out of snake parts: joined with `__`, prefixed with `_` when it would
 * start with a digit (so it can be written unquoted), and — if longer than 63 bytes — cut and ended with `_`
 * and a hash of the full name, so two long names sharing a prefix stay distinct and the result is stable.
 */
export function fitIdentifier(name: string, maxBytes = MAX_IDENTIFIER_BYTES): string {
  const safe = /^\p{N}/u.test(name) ? `_${name}` : name;
  if (byteLength(safe) <= maxBytes) return safe;
  const tag = shortHash(safe);
  const head = truncateBytes(safe, maxBytes - tag.length - 1).replace(/_+$/, '');
  return `${head}_${tag}`;
}

const digitSafe = (s: string): string => (/^\p{N}/u.test(s) ? `_${s}` : s);

/**
 * A column name from parts (ancestor ids that tell the point apart, then its own id) and a tail (the
 * attribute: `_magnitude`). Too long for 63 bytes: every part is shortened by the same amount where possible
 * (so `fieber_oder_erhoehte_koerp__bezeichnung_des_symptoms_o` keeps both the symptom and the field), the
 * outermost parts are dropped when there are too many, and a hash of the full parts keeps the name distinct.
 * The tail always survives, so `_code`, `_value` and `_terminology` stay recognisable.
 */
export function fitColumnName(parts: string[], tail = ''): string {
  const full = digitSafe(parts.join('__') + tail);
  if (byteLength(full) <= MAX_IDENTIFIER_BYTES) return full;
  const tag = `_${shortHash(parts.join('__'))}`;
  const budget = MAX_IDENTIFIER_BYTES - byteLength(tag) - byteLength(tail) - 1;
  let kept = parts;
  while (kept.length > 1 && budget - 2 * (kept.length - 1) < 12 * kept.length) kept = kept.slice(1);
  return `${digitSafe(shortenParts(kept, budget).join('__'))}${tag}${tail}`;
}

/**
 * A view name from the template's name and the ids of the repeating nodes down to the view's node. Too long
 * for 63 bytes: the template name (shortened if need be) and the innermost ids that fit whole are kept, the
 * middle is replaced by a hash of the full name.
 */
export function fitViewName(parts: string[]): string {
  const full = digitSafe(parts.join('__'));
  if (byteLength(full) <= MAX_IDENTIFIER_BYTES || parts.length < 2) return fitIdentifier(full);
  const tag = `_${shortHash(parts.join('__'))}`;
  const budget = MAX_IDENTIFIER_BYTES - byteLength(tag) - 1;
  const head = truncateBytes(parts[0]!, Math.floor(budget / 2)).replace(/_+$/, '');
  const kept: string[] = [];
  for (let i = parts.length - 1; i >= 1; i--) {
    if (byteLength([head, parts[i]!, ...kept].join('__')) > budget) break;
    kept.unshift(parts[i]!);
  }
  const body = kept.length > 0 ? [head, ...kept] : shortenParts([head, parts.at(-1)!], budget);
  return `${digitSafe(body.join('__'))}${tag}`;
}

/**
 * Shortens parts so that, joined with `__`, they fit `budget` bytes: the shortest stay whole, the longer
 * ones are cut to an equal share (water-filling), each on a character boundary and without a trailing `_`.
 */
export function shortenParts(parts: string[], budget: number): string[] {
  let available = budget - 2 * (parts.length - 1);
  const order = parts.map((p, i) => ({ i, len: byteLength(p) })).sort((a, b) => a.len - b.len);
  const limits = new Array<number>(parts.length).fill(0);
  order.forEach(({ i, len }, k) => {
    const share = Math.floor(available / (order.length - k));
    limits[i] = Math.min(len, Math.max(share, 1));
    available -= limits[i]!;
  });
  return parts.map((p, i) => truncateBytes(p, limits[i]!).replace(/_+$/, '') || p.slice(0, 1));
}

/**
 * Picks `wanted`, or `wanted_2`, `wanted_3`… (each fitted to 63 bytes) — the first not in `taken` — and
 * records it. Deterministic for a given order of calls.
 */
export function claimUnique(wanted: string, taken: Set<string>): string {
  let candidate = fitIdentifier(wanted);
  for (let n = 2; taken.has(candidate); n++) {
    const suffix = `_${n}`;
    const base = fitIdentifier(wanted, MAX_IDENTIFIER_BYTES - suffix.length);
    candidate = `${base}${suffix}`;
  }
  taken.add(candidate);
  return candidate;
}

/** A double-quoted SQL identifier (always quoted: names may be reserved words or hold non-ASCII letters). */
export function quoteIdent(name: string): string {
  return `"${name.replace(/"/g, '""')}"`;
}

/** `"schema"."name"`. */
export function qualified(schema: string, name: string): string {
  return `${quoteIdent(schema)}.${quoteIdent(name)}`;
}

/**
 * A SQL string literal, correct whatever `standard_conforming_strings` says: text with a backslash is written
 * as an E'' literal with the backslashes doubled.
 */
export function quoteLiteral(value: string): string {
  if (value.includes('\0')) throw new Error('a SQL literal cannot hold a NUL character');
  const quoted = value.replace(/'/g, "''");
  return value.includes('\\') ? `E'${quoted.replace(/\\/g, '\\\\')}'` : `'${quoted}'`;
}
