/** A calendar date (month 1-12). Date shifting works on calendar days, so time zones never matter. */
export interface CalendarDate {
  y: number;
  m: number;
  d: number;
}

const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];

export function isValidDate(y: number, m: number, d: number): boolean {
  if (m < 1 || m > 12 || d < 1) return false;
  const leap = m === 2 && ((y % 4 === 0 && y % 100 !== 0) || y % 400 === 0);
  return d <= DAYS_IN_MONTH[m - 1]! + (leap ? 1 : 0);
}

const DAY_MS = 86_400_000;

export function addDays(date: CalendarDate, days: number): CalendarDate {
  const t = new Date(Date.UTC(date.y, date.m - 1, date.d) + days * DAY_MS);
  return { y: t.getUTCFullYear(), m: t.getUTCMonth() + 1, d: t.getUTCDate() };
}

export const pad2 = (n: number): string => String(n).padStart(2, '0');
export const pad4 = (n: number): string => String(n).padStart(4, '0');

/**
 * How dates are generalised for one composition: to the year, or (date_shift = true) moved by the EHR's own
 * offset, so every date of a patient moves by the same number of days and intervals survive.
 */
export interface DateGeneralization {
  shiftDays?: number;
}

/**
 * A date found in content, able to render itself generalised in its own format. `shift` is absent where a
 * format cannot be shifted faithfully (a month name without a year); the year (or a redaction when there is
 * no year) is used then.
 */
export interface DateMatch {
  year?: number;
  shift?: (days: number) => string;
}

export function generalizeDate(match: DateMatch, how: DateGeneralization): string | undefined {
  if (how.shiftDays !== undefined && match.shift) return match.shift(how.shiftDays);
  return match.year === undefined ? undefined : pad4(match.year);
}
