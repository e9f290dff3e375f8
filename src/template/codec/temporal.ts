/**
 * ISO 8601 dates, times and date-times as EHRbase reads and prints them (flat-codec-rules.md §3.10, §6.2):
 * extended or compact input, `.` or `,` before the fraction, `Z` or `±HH:MM` (compact `±HHMM`); output in
 * extended form at the precision given, fraction without trailing zeros (at least one digit), `Z` for a zero
 * offset. `undefined` = not a valid value of that kind.
 */
export type TemporalKind = 'DV_DATE_TIME' | 'DV_DATE' | 'DV_TIME';

interface Parts {
  year?: string;
  month?: string;
  day?: string;
  hour?: string;
  minute?: string;
  second?: string;
  fraction?: string;
  offset?: string;
}

const DATE_EXT = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/;
const DATE_COMPACT = /^(\d{4})(\d{2})(\d{2})$/;
const TIME_EXT = /^(\d{2})(?::(\d{2})(?::(\d{2})(?:[.,](\d{1,9}))?)?)?(Z|[+-]\d{2}:\d{2})?$/i;
const TIME_COMPACT = /^(\d{2})(\d{2})(?:(\d{2})(?:[.,](\d{1,9}))?)?(Z|[+-]\d{4})?$/i;

function parseDate(s: string): Parts | undefined {
  const m = DATE_EXT.exec(s) ?? DATE_COMPACT.exec(s);
  if (!m) return undefined;
  return { year: m[1], month: m[2], day: m[3] };
}

function parseTime(s: string, compactAllowed: boolean): Parts | undefined {
  let m = TIME_EXT.exec(s);
  let compact = false;
  if (!m && compactAllowed) {
    m = TIME_COMPACT.exec(s);
    compact = true;
  }
  if (!m) return undefined;
  let offset = m[5];
  if (offset && compact && offset.length === 5) offset = `${offset.slice(0, 3)}:${offset.slice(3)}`;
  return { hour: m[1], minute: m[2], second: m[3], fraction: m[4], offset };
}

const MONTH_DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

/** Days in a month of the proleptic Gregorian calendar (arithmetic, not a Date: this runs once per value). */
function daysIn(year: number, month: number): number {
  if (month === 2 && year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)) return 29;
  return MONTH_DAYS[month - 1]!;
}

function valid(p: Parts): boolean {
  if (p.month !== undefined && (+p.month < 1 || +p.month > 12)) return false;
  if (p.day !== undefined && (+p.day < 1 || +p.day > daysIn(+p.year!, +p.month!))) return false;
  if (p.hour !== undefined && +p.hour > 23) return false;
  if (p.minute !== undefined && +p.minute > 59) return false;
  if (p.second !== undefined && +p.second > 59) return false;
  const o = p.offset;
  if (o && o !== 'Z' && o !== 'z') {
    // Always `±HH:MM` here (parseTime normalises the compact form).
    if (+o.slice(1, 3) > 18 || +o.slice(4, 6) > 59) return false;
  }
  return true;
}

export function parseTemporal(kind: TemporalKind, text: string): Parts | undefined {
  const s = text.trim();
  let parts: Parts | undefined;
  if (kind === 'DV_DATE') parts = parseDate(s);
  else if (kind === 'DV_TIME') parts = parseTime(s.replace(/^T/i, ''), true);
  else {
    let t = s.indexOf('T');
    if (t < 0) t = s.indexOf('t');
    if (t < 0) parts = parseDate(s);
    else {
      const datePart = s.slice(0, t);
      const date = parseDate(datePart);
      const time =
        date && date.day !== undefined ? parseTime(s.slice(t + 1), !datePart.includes('-')) : undefined;
      if (date && time) {
        time.year = date.year;
        time.month = date.month;
        time.day = date.day;
        parts = time;
      }
    }
  }
  return parts && valid(parts) ? parts : undefined;
}

function print(p: Parts): string {
  let out = '';
  if (p.year !== undefined) {
    out = p.year;
    if (p.month !== undefined) out += `-${p.month}`;
    if (p.day !== undefined) out += `-${p.day}`;
  }
  if (p.hour !== undefined) {
    if (out) out += 'T';
    out += p.hour;
    if (p.minute !== undefined) out += `:${p.minute}`;
    if (p.second !== undefined) out += `:${p.second}`;
    if (p.fraction !== undefined) out += `.${p.fraction.replace(/0+$/, '') || '0'}`;
    if (p.offset) {
      const o = p.offset.toUpperCase();
      out += o === 'Z' || o === '+00:00' || o === '-00:00' ? 'Z' : o;
    }
  }
  return out;
}

/** The value in EHRbase's printed form, or `undefined` when it is not a valid `kind`. */
export function normaliseTemporal(kind: TemporalKind, text: string): string | undefined {
  const parts = parseTemporal(kind, text);
  return parts ? print(parts) : undefined;
}

/** Epoch seconds of a date-time (whole seconds; local times read as UTC), for EHRbase's 1-s comparisons. */
export function epochSeconds(text: string): number | undefined {
  const p = parseTemporal('DV_DATE_TIME', text);
  if (!p) return undefined;
  let offsetMin = 0;
  if (p.offset && p.offset.toUpperCase() !== 'Z') {
    const sign = p.offset.startsWith('-') ? -1 : 1;
    const [h, m] = p.offset.slice(1).split(':').map(Number) as [number, number];
    offsetMin = sign * (h * 60 + m);
  }
  const ms = Date.UTC(
    +p.year!,
    +(p.month ?? 1) - 1,
    +(p.day ?? 1),
    +(p.hour ?? 0),
    +(p.minute ?? 0),
    +(p.second ?? 0),
  );
  return Math.floor(ms / 1000) - offsetMin * 60;
}
