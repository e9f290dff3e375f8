/**
 * ISO-8601 instants as the openEHR servers give them (1–9 fractional digits, `Z` or `±hh:mm`, sometimes a
 * comma as decimal mark) compared by the instant they denote, to the nanosecond. `Date.parse` would drop
 * the microseconds EHRbase keeps, and comparing the strings is wrong across offsets and fraction lengths.
 */
const ISO =
  /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

const NS_PER_MS = 1_000_000n;

/** Nanoseconds since the epoch; a string without an offset is read as UTC. Throws on anything else. */
export function instantNs(iso: string): bigint {
  const m = ISO.exec(iso.trim());
  if (!m) throw new Error(`not an ISO-8601 date-time: ${JSON.stringify(iso)}`);
  const [, y, mo, d, h, mi, s, frac, zone] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s ?? 0));
  const fractionNs = BigInt((frac ?? '').slice(0, 9).padEnd(9, '0'));
  return BigInt(ms) * NS_PER_MS + fractionNs - offsetNs(zone);
}

function offsetNs(zone: string | undefined): bigint {
  if (!zone || zone === 'Z' || zone === 'z') return 0n;
  const sign = zone.startsWith('-') ? -1n : 1n;
  const digits = zone.slice(1).replace(':', '');
  const minutes = Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0');
  return sign * BigInt(minutes) * 60n * 1_000_000_000n;
}

/** The instant as UTC ISO-8601 with the shortest exact fraction (`2024-03-06T13:08:16.21602Z`). */
export function formatInstant(ns: bigint): string {
  const ms = floorDiv(ns, NS_PER_MS);
  const base = new Date(Number(ms)).toISOString().slice(0, 19);
  const fraction = (ns - floorDiv(ns, 1_000_000_000n) * 1_000_000_000n).toString().padStart(9, '0');
  const trimmed = fraction.replace(/0+$/, '');
  return trimmed ? `${base}.${trimmed}Z` : `${base}Z`;
}

function floorDiv(a: bigint, b: bigint): bigint {
  const q = a / b;
  return a % b !== 0n && a < 0n ? q - 1n : q;
}

/** Negative, zero or positive like a comparator, by instant. */
export function compareInstants(a: string, b: string): number {
  const d = instantNs(a) - instantNs(b);
  return d < 0n ? -1 : d > 0n ? 1 : 0;
}

/** `iso` moved back by whole seconds, as UTC ISO-8601. */
export function minusSeconds(iso: string, seconds: number): string {
  return formatInstant(instantNs(iso) - BigInt(Math.round(seconds * 1000)) * NS_PER_MS);
}

/** The later of two instants (undefined counts as "no bound"). */
export function laterInstant(a: string | undefined, b: string | undefined): string | undefined {
  if (a === undefined) return b;
  if (b === undefined) return a;
  return compareInstants(a, b) >= 0 ? a : b;
}
