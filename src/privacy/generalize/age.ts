/** Safe Harbor: ages over 89 are aggregated into one category. */
export const OLDEST_EXACT_AGE = 89;

/**
 * 90 and above → `90+`; younger ages (detected in gdpr mode only) → a five-year band such as `40-44`, a
 * common k-anonymity generalisation.
 */
export function generalizeAge(years: number): string {
  if (years > OLDEST_EXACT_AGE) return `${OLDEST_EXACT_AGE + 1}+`;
  const low = Math.floor(years / 5) * 5;
  return `${low}-${low + 4}`;
}

/** Whole years in an age value: a number, a numeric string (`93`, `93 years`) or an ISO duration (`P93Y`). */
export function ageInYears(value: unknown): number | undefined {
  if (typeof value === 'number') return Number.isFinite(value) && value >= 0 ? Math.floor(value) : undefined;
  if (typeof value !== 'string') return undefined;
  const m = /^\s*(?:P(\d{1,3})Y\S*|(\d{1,3})(?:[.,]\d+)?(?:\s*\p{L}[\p{L}.\s]*)?)\s*$/u.exec(value);
  if (!m) return undefined;
  return Number(m[1] ?? m[2]);
}
