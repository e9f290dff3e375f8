/**
 * What a view cell should hold, computed from the FLAT document alone (independently of the SQL): the
 * value at the column's FLAT path with the row's indices, compared per SQL type with PostgreSQL's text
 * output (session in UTC, ISO 8601 intervals).
 */

export interface RecordedColumn {
  name: string;
  path: string;
  sqlType: string;
  alternatives?: string[];
  removedAt?: string;
}

/** The key of a column in the preserve form for one occurrence: each `:*` replaced by the next index. */
export function concreteKey(pathPattern: string, indices: number[]): string {
  let i = 0;
  return pathPattern.replace(/:\*/g, () => `:${indices[i++]}`);
}

/** The FLAT value a cell comes from (first spelling present). */
export function flatValue(flat: Record<string, unknown>, col: RecordedColumn, indices: number[]): unknown {
  const key = concreteKey(col.path, indices);
  const spellings = [key, ...(col.alternatives ?? []).map((a) => key.replace(/\|[^|/]*$/, `|${a}`))];
  for (const k of spellings) if (Object.hasOwn(flat, k)) return flat[k];
  return undefined;
}

/** Occurrence index tuples of a repeating node in a FLAT document (keys parsed per openehr-rest §7.7). */
export function occurrences(flat: Record<string, unknown>, nodePattern: string): number[][] {
  const want = nodePattern
    .split('/')
    .map((s) => ({ id: s.replace(/:\*$/, ''), repeating: s.endsWith(':*') }));
  const seen = new Map<string, number[]>();
  for (const key of Object.keys(flat)) {
    const segments = key.replace(/\|[^/]*$/, '').split('/');
    if (segments.length < want.length) continue;
    const tuple: number[] = [];
    const ok = want.every((w, i) => {
      const m = /^(?<id>[^|:]+)(?::(?<idx>\d+))?$/.exec(segments[i]!);
      if (!m || m.groups!.id !== w.id) return false;
      if (w.repeating) tuple.push(Number(m.groups!.idx ?? 0));
      return true;
    });
    if (ok) seen.set(tuple.join(','), tuple);
  }
  return [...seen.values()];
}

/** Whether PostgreSQL's text for a cell (`null` = NULL) is the FLAT value, read as `sqlType`. */
export function sameValue(sqlType: string, cell: string | null, raw: unknown): boolean {
  if (raw === undefined || raw === null) return cell === null;
  if (cell === null) return false;
  switch (sqlType) {
    case 'text':
      return typeof raw === 'string' ? cell === raw : Number(cell) === raw || cell === JSON.stringify(raw);
    case 'numeric':
      return Number(cell) === Number(raw);
    case 'bigint':
    case 'integer':
      return BigInt(cell) === BigInt(Math.trunc(Number(raw)));
    case 'boolean':
      return (cell === 't' || cell === 'true') === raw;
    case 'date':
      return cell === raw;
    case 'time':
      return timeMicros(cell) === timeMicros(String(raw));
    case 'timestamptz':
      return instantMicros(cell) === instantMicros(String(raw));
    case 'interval':
      return JSON.stringify(durationParts(cell)) === JSON.stringify(durationParts(String(raw)));
    default:
      throw new Error(`no comparison for ${sqlType}`);
  }
}

/** Microseconds since the epoch of `YYYY-MM-DD[T ]HH:MM[:SS[.f]][Z|±HH[:MM]]` (no offset = UTC). */
export function instantMicros(text: string): bigint {
  const m =
    /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/.exec(
      text,
    );
  if (!m) throw new Error(`not a date-time: ${text}`);
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', tz] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  const micros = BigInt((frac + '000000').slice(0, 6));
  return BigInt(ms) * 1000n + micros - BigInt(offsetMinutes(tz)) * 60_000_000n;
}

function offsetMinutes(tz: string | undefined): number {
  if (!tz || tz === 'Z') return 0;
  const sign = tz.startsWith('-') ? -1 : 1;
  const digits = tz.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || 0));
}

function timeMicros(text: string): bigint {
  const m = /^(\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?/.exec(text);
  if (!m) throw new Error(`not a time: ${text}`);
  const [, h, mi, s = '0', frac = ''] = m;
  return (
    BigInt((Number(h) * 3600 + Number(mi) * 60 + Number(s)) * 1_000_000) +
    BigInt((frac + '000000').slice(0, 6))
  );
}

/** ISO 8601 duration → [months, days, microseconds] (PostgreSQL's interval fields). */
export function durationParts(text: string): [number, number, number] {
  const m =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:[.,]\d+)?)S)?)?$/.exec(
      text,
    );
  if (!m) throw new Error(`not an ISO 8601 duration: ${text}`);
  const n = (i: number) => Number((m[i] ?? '0').replace(',', '.'));
  return [n(1) * 12 + n(2), n(3) * 7 + n(4), Math.round((n(5) * 3600 + n(6) * 60 + n(7)) * 1_000_000)];
}
