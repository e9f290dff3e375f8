import type { ExportSqlType } from '../../../src/analytics/export-columns.js';

/**
 * One canonical string per cell, computed independently on each side of a read-back: from PostgreSQL's
 * own text output of the view (TimeZone UTC, IntervalStyle iso_8601), from a CSV field, or from the JS
 * value DuckDB returns. Two cells are equal when their canonical strings are.
 */

/** `36.50` → `36.5`, `-0.0` → `0`, `12.` → `12`. */
export function normDecimal(s: string): string {
  let t = s.includes('.') ? s.replace(/0+$/, '').replace(/\.$/, '') : s;
  if (t === '-0') t = '0';
  return t;
}

/** `2024-01-01 10:00:00.5+00` or `2024-01-01T10:00:00.500000Z` → microseconds since 1970 (UTC). */
export function timestampMicros(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?(?:Z|\+00(?::00)?)$/.exec(s);
  if (!m) throw new Error(`unexpected timestamptz text ${s}`);
  const ms = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
  return (BigInt(ms) * 1000n + BigInt((m[7] ?? '').padEnd(6, '0') || '0')).toString();
}

export function dateDays(s: string): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (!m) throw new Error(`unexpected date text ${s}`);
  return String(Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!) / 86_400_000);
}

export function timeMicros(s: string): string {
  const m = /^(\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/.exec(s);
  if (!m) throw new Error(`unexpected time text ${s}`);
  return (
    BigInt(+m[1]! * 3600 + +m[2]! * 60 + +m[3]!) * 1_000_000n +
    BigInt((m[4] ?? '').padEnd(6, '0') || '0')
  ).toString();
}

/** ISO 8601 duration as PostgreSQL writes it (`P1Y2M3DT4H5M6.5S`) → `months,days,micros`. */
export function intervalParts(s: string): string {
  const m =
    /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)(?:\.(\d{1,6}))?S)?)?$/.exec(
      s,
    );
  if (!m) throw new Error(`unexpected interval text ${s}`);
  const n = (i: number) => Number(m[i] ?? 0);
  const micros =
    BigInt(n(5) * 3600 + n(6) * 60 + n(7)) * 1_000_000n + BigInt((m[8] ?? '').padEnd(6, '0') || '0');
  return `${n(1) * 12 + n(2)},${n(3) * 7 + n(4)},${micros}`;
}

/** A cell of the view as PostgreSQL prints it (or as CSV spells it). */
export function canonicalFromText(
  sqlType: ExportSqlType,
  v: string | null,
  interval: 'iso' | 'parts',
): string | null {
  if (v === null) return null;
  switch (sqlType) {
    case 'numeric':
      return normDecimal(v);
    case 'boolean':
      return v === 't' || v === 'true' ? 'true' : v === 'f' || v === 'false' ? 'false' : `bad:${v}`;
    case 'date':
      return dateDays(v);
    case 'time':
      return timeMicros(v);
    case 'timestamptz':
      return timestampMicros(v);
    case 'interval':
      return interval === 'iso' ? v : intervalParts(v);
    case 'int[]':
      return v.slice(1, -1);
    default:
      return v;
  }
}

/** A cell as DuckDB's JS API returns it (from a Parquet file or a DuckDB table). */
export function canonicalFromDuckDb(v: unknown): string | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'bigint' || typeof v === 'boolean')
    return String(v);
  const o = v as Record<string, unknown>;
  if ('scale' in o && 'value' in o) {
    const scale = Number(o.scale);
    const raw = (o.value as bigint).toString();
    const neg = raw.startsWith('-');
    const digits = (neg ? raw.slice(1) : raw).padStart(scale + 1, '0');
    const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
    return normDecimal(`${neg ? '-' : ''}${text}`);
  }
  if ('months' in o && 'days' in o && 'micros' in o) return `${o.months},${o.days},${o.micros}`;
  if ('micros' in o) return String(o.micros);
  if ('days' in o) return String(o.days);
  if ('items' in o) return (o.items as unknown[]).map(String).join(',');
  throw new Error(`unexpected DuckDB value ${String(v)}`);
}
