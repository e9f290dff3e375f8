/**
 * ISO-8601 instants as exact integers (nanoseconds since the epoch), so keyset comparisons are numeric and
 * survive what string comparison does not: differing offsets (`+02:00` vs `Z`), fraction lengths of 1–9
 * digits with trailing zeros dropped, and comma decimals (all seen in EHRbase output, openehr-rest.md §4.2).
 * A value without an offset is read as UTC.
 */
const ISO =
  /^(\d{4}-\d{2}-\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/i;

export function instantNanos(value: string): bigint | undefined {
  const m = ISO.exec(value.trim());
  if (!m) return undefined;
  const [, date, hh, mm, ss = '00', fraction = '', zone = 'Z'] = m;
  const offset = zone.toUpperCase() === 'Z' ? 'Z' : normaliseOffset(zone);
  const ms = Date.parse(`${date}T${hh}:${mm}:${ss}${offset}`);
  if (Number.isNaN(ms)) return undefined;
  return BigInt(ms) * 1_000_000n + BigInt(fraction.padEnd(9, '0') || '0');
}

function normaliseOffset(zone: string): string {
  const digits = zone.slice(1).replace(':', '');
  return `${zone[0]}${digits.slice(0, 2)}:${(digits.slice(2) || '00').padEnd(2, '0')}`;
}

/** Orders (time, uid) keys: by instant, then by uid (code-unit order). */
export function compareKeys(a: { t: bigint; uid: string }, b: { t: bigint; uid: string }): number {
  if (a.t !== b.t) return a.t < b.t ? -1 : 1;
  return a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0;
}
