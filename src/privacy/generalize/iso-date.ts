import { addDays, type DateMatch, isValidDate, pad2, pad4 } from './calendar.js';

// A whole value that is an ISO 8601 date or date-time (what DV_DATE / DV_DATE_TIME hold in FLAT), extended
// format; YYYY-MM is a partial date. A year alone is not matched: Safe Harbor allows years.
const EXTENDED =
  /^(\d{4})-(\d{2})(?:-(\d{2}))?(T\d{2}(?::\d{2}(?::\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?)?$/;
// Basic format (20170629), accepted only where the content says the text is ISO 8601 (DV_PARSABLE with
// formalism ISO8601): eight digits alone are too often something else.
const BASIC = /^(\d{4})(\d{2})(\d{2})(T\d{2}(?:\d{2}(?:\d{2}(?:[.,]\d+)?)?)?(?:Z|[+-]\d{2}(?:\d{2})?)?)?$/;

/** The value as a date that renders itself shifted in the same format (time and zone untouched). */
export function parseIsoDateValue(value: string, allowBasic: boolean): DateMatch | undefined {
  // Most values are not dates: decide from two characters before running a regex.
  const first = value.charCodeAt(0);
  if (value.length < 7 || first < 48 || first > 57) return undefined;
  const basic = value.charCodeAt(4) !== 45; // '-'
  if (basic && !allowBasic) return undefined;
  const m = (basic ? BASIC : EXTENDED).exec(value);
  if (!m) return undefined;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const hasDay = m[3] !== undefined;
  const d = hasDay ? Number(m[3]) : 15;
  if (!isValidDate(y, mo, d)) return undefined;
  const rest = m[4] ?? '';
  const sep = basic ? '' : '-';
  return {
    year: y,
    shift: (days) => {
      // A month-precision date is shifted from mid-month, which keeps it within a month of the truth.
      const t = addDays({ y, m: mo, d }, days);
      return pad4(t.y) + sep + pad2(t.m) + (hasDay ? sep + pad2(t.d) : '') + rest;
    },
  };
}
