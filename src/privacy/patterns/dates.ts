import { addDays, type DateMatch, generalizeDate, isValidDate, pad2, pad4 } from '../generalize/calendar.js';
import { eachMatch } from './regex-util.js';
import type { TextDetector, TextHit } from './types.js';

const ISO =
  /(?<![\d.-])(\d{4})([-/])(0[1-9]|1[0-2])\2(0[1-9]|[12]\d|3[01])(T\d{2}:\d{2}(?::\d{2}(?:[.,]\d+)?)?(?:Z|[+-]\d{2}:?\d{2})?)?(?![\d])/g;
const DOTTED = /(?<![\d.])(0?[1-9]|[12]\d|3[01])\.(0?[1-9]|1[0-2])\.(\d{4}|\d{2})(?![\d]|\.\d)/g;
const SLASHED = /(?<![\d/])(\d{1,2})\/(\d{1,2})\/(\d{4})(?![\d/])/g;

const MONTHS: Record<string, number> = {
  january: 1,
  jan: 1,
  januar: 1,
  jänner: 1,
  february: 2,
  feb: 2,
  februar: 2,
  march: 3,
  mar: 3,
  märz: 3,
  maerz: 3,
  april: 4,
  apr: 4,
  may: 5,
  mai: 5,
  june: 6,
  jun: 6,
  juni: 6,
  july: 7,
  jul: 7,
  juli: 7,
  august: 8,
  aug: 8,
  september: 9,
  sep: 9,
  sept: 9,
  october: 10,
  oct: 10,
  oktober: 10,
  okt: 10,
  november: 11,
  nov: 11,
  december: 12,
  dec: 12,
  dezember: 12,
  dez: 12,
};
// Capitalised month names only ("may" is a verb, "mar" a word); longest alternatives first.
const MONTH = Object.keys(MONTHS)
  .sort((a, b) => b.length - a.length)
  .map((m) => m[0]!.toUpperCase() + m.slice(1))
  .join('|');
const DAY_MONTH_YEAR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(\d{1,2})(?:st|nd|rd|th|\.)?\s+(${MONTH})\.?,?(?:\s+(\d{4}))?(?![\p{L}\p{N}])`,
  'gu',
);
const MONTH_DAY_YEAR = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(${MONTH})\.?\s+(\d{1,2})(?:st|nd|rd|th)?(?:,?\s+(\d{4}))?(?![\p{L}\p{N}])`,
  'gu',
);
const MONTH_YEAR = new RegExp(String.raw`(?<![\p{L}\p{N}])(${MONTH})\.?\s+(\d{4})(?![\p{L}\p{N}])`, 'gu');

function isoMatch(m: RegExpExecArray): DateMatch | undefined {
  const [, ys, sep, ms, ds, rest] = m;
  const y = Number(ys);
  const mo = Number(ms);
  const d = Number(ds);
  if (!isValidDate(y, mo, d)) return undefined;
  return {
    year: y,
    shift: (days) => {
      const t = addDays({ y, m: mo, d }, days);
      return pad4(t.y) + sep + pad2(t.m) + sep + pad2(t.d) + (rest ?? '');
    },
  };
}

/** A numeric day-month-year date rendered back with the same separators, order and zero padding. */
function numericMatch(
  dayFirst: boolean,
  parts: [string, string, string],
  sep: string,
): DateMatch | undefined {
  const [a, b, ys] = parts;
  const d = Number(dayFirst ? a : b);
  const mo = Number(dayFirst ? b : a);
  const y = ys.length === 2 ? 2000 + Number(ys) : Number(ys);
  if (!isValidDate(y, mo, d)) return undefined;
  const fmt = (n: number, like: string) => (like.length === 2 ? pad2(n) : String(n));
  return {
    year: ys.length === 2 ? undefined : y,
    shift: (days) => {
      const t = addDays({ y, m: mo, d }, days);
      const year = ys.length === 2 ? pad2(t.y % 100) : pad4(t.y);
      const first = dayFirst ? fmt(t.d, a) : fmt(t.m, a);
      const second = dayFirst ? fmt(t.m, b) : fmt(t.d, b);
      return first + sep + second + sep + year;
    },
  };
}

/** Month-name dates shift to ISO (the wording cannot be reproduced faithfully in every language). */
function namedMatch(day: string | undefined, month: string, year: string | undefined): DateMatch | undefined {
  const mo = MONTHS[month.toLowerCase()];
  const d = day === undefined ? 15 : Number(day);
  if (mo === undefined) return undefined;
  if (year === undefined) return isValidDate(2000, mo, d) ? {} : undefined;
  const y = Number(year);
  if (!isValidDate(y, mo, d)) return undefined;
  return {
    year: y,
    shift: (days) => {
      const t = addDays({ y, m: mo, d }, days);
      return pad4(t.y) + '-' + pad2(t.m) + (day === undefined ? '' : '-' + pad2(t.d));
    },
  };
}

function push(
  out: TextHit[],
  start: number,
  end: number,
  match: DateMatch | undefined,
  detector: string,
): void {
  if (!match) return;
  out.push({ start, end, category: 'DATE', detector, generalize: (how) => generalizeDate(match, how) });
}

export const dateDetector: TextDetector = {
  name: 'pattern:date',
  category: 'DATE',
  catches:
    'ISO dates and date-times (2021-04-01, 2021-04-01T12:00:00+02:00, 2021/04/01); 01.04.2021 and 01.04.21; 04/01/2021 (US or European order); English and German month names with a day and/or a year (1 April 2021, April 1st, 2021, 1. April, März 2020)',
  misses:
    'dates without a year in numeric form (4/1, 01.04.), lower-case or misspelt month names, relative dates ("last Tuesday", "3 days after admission"), years alone (allowed by Safe Harbor)',
  needs: (t) => t.hasDigit,
  find(text, _mode, out) {
    eachMatch(ISO, text, (start, end, m) => push(out, start, end, isoMatch(m), this.name));
    eachMatch(DOTTED, text, (start, end, m) =>
      push(out, start, end, numericMatch(true, [m[1]!, m[2]!, m[3]!], '.'), this.name),
    );
    eachMatch(SLASHED, text, (start, end, m) => {
      // 04/01/2021: US order when it is a valid month/day, otherwise day/month.
      const parts: [string, string, string] = [m[1]!, m[2]!, m[3]!];
      push(out, start, end, numericMatch(false, parts, '/') ?? numericMatch(true, parts, '/'), this.name);
    });
    if (!text.includes(' ')) return;
    eachMatch(DAY_MONTH_YEAR, text, (start, end, m) =>
      push(out, start, end, namedMatch(m[1], m[2]!, m[3]), this.name),
    );
    eachMatch(MONTH_DAY_YEAR, text, (start, end, m) =>
      push(out, start, end, namedMatch(m[2], m[1]!, m[3]), this.name),
    );
    eachMatch(MONTH_YEAR, text, (start, end, m) =>
      push(out, start, end, namedMatch(undefined, m[1]!, m[2]), this.name),
    );
  },
};
