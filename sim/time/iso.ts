/**
 * ISO-8601 handling in microseconds since the epoch (a float64 holds µs exactly for centuries), because
 * EHRbase commit times carry up to microsecond precision and AQL compares DV_DATE_TIME by instant.
 */

const ISO_RE =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?\s*(Z|z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Instant of an ISO date/date-time in µs; NaN if unparsable. A missing offset is read as UTC. */
export function parseInstantUs(text: string): number {
  const m = ISO_RE.exec(text.trim());
  if (!m) return Number.NaN;
  const [, y, mo, d, h = '0', mi = '0', s = '0', frac = '', off] = m;
  const ms = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s));
  if (Number.isNaN(ms)) return Number.NaN;
  const fracUs = frac ? Number((frac + '000000').slice(0, 6)) : 0;
  let offsetMin = 0;
  if (off && off !== 'Z' && off !== 'z') {
    const sign = off[0] === '-' ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    offsetMin = sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
  }
  return (ms - offsetMin * 60_000) * 1000 + fracUs;
}

/** Offset in minutes written in an ISO string (`Z`/none → 0). */
export function offsetMinutesOf(text: string): number {
  const m = /(Z|z|[+-]\d{2}(?::?\d{2})?)$/.exec(text.trim());
  if (!m || m[1] === 'Z' || m[1] === 'z') return 0;
  const off = m[1]!;
  const sign = off[0] === '-' ? -1 : 1;
  const digits = off.slice(1).replace(':', '');
  return sign * (Number(digits.slice(0, 2)) * 60 + Number(digits.slice(2, 4) || '0'));
}

function pad(n: number, width = 2): string {
  return String(n).padStart(width, '0');
}

function dateTimeParts(ms: number): string {
  const d = new Date(ms);
  return (
    `${pad(d.getUTCFullYear(), 4)}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}` +
    `T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`
  );
}

/**
 * Like EHRbase's `OpenEHRDateTimeSerializationUtils.formatDateTime` for UTC instants: fraction of 1–6
 * digits with trailing zeros dropped (none when zero), then `Z` — e.g. `2024-03-06T13:08:16.21602Z`.
 */
export function formatCommitTime(us: number): string {
  const ms = Math.floor(us / 1000);
  const subUs = Math.round(us - ms * 1000);
  const fracUs = (ms - Math.floor(ms / 1000) * 1000) * 1000 + subUs;
  const frac = fracUs === 0 ? '' : `.${pad(fracUs, 6).replace(/0+$/, '')}`;
  return `${dateTimeParts(Math.floor(ms / 1000) * 1000)}${frac}Z`;
}

/** A clinical date-time with a fixed offset and millisecond fraction, e.g. `2024-03-06T14:08:16.216+01:00`. */
export function formatWithOffset(us: number, offsetMinutes: number): string {
  const ms = Math.floor(us / 1000);
  const local = ms + offsetMinutes * 60_000;
  const frac = pad(((local % 1000) + 1000) % 1000, 3);
  let off = 'Z';
  if (offsetMinutes !== 0) {
    const sign = offsetMinutes < 0 ? '-' : '+';
    const abs = Math.abs(offsetMinutes);
    off = `${sign}${pad(Math.floor(abs / 60))}:${pad(abs % 60)}`;
  }
  return `${dateTimeParts(local - (((local % 1000) + 1000) % 1000))}.${frac}${off}`;
}
