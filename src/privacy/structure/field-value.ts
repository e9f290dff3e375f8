import type { AnonymizationMode, Category } from '../categories.js';
import { ageInYears, generalizeAge, OLDEST_EXACT_AGE } from '../generalize/age.js';
import { type DateGeneralization, type DateMatch, generalizeDate } from '../generalize/calendar.js';
import { parseIsoDateValue } from '../generalize/iso-date.js';
import { generalizePostalCode } from '../generalize/postal.js';
import type { ValueKind } from './element-rules.js';

export interface FieldVerdict {
  category: Category;
  /** The generalised form, when the value has one. */
  generalized?: string;
}

const EMAIL_ONLY = /^\s*[^\s@]+@[^\s@]+\.[^\s@]+\s*$/;
const YEAR = /(?<!\d)(1[89]\d\d|20\d\d)(?!\d)/;

/** A birth date written some other way ("14.01.1950"): only its year can be trusted. */
function anyDate(value: string): DateMatch | undefined {
  const iso = parseIsoDateValue(value, true);
  if (iso) return iso;
  const year = YEAR.exec(value);
  return year ? { year: Number(year[1]) } : undefined;
}

/**
 * Interprets one leaf value of a field the structure marks as identifying. Undefined when the value does
 * not identify after all: an age of 89 or less in hipaa_safe_harbor mode, an empty string, a boolean.
 */
export function judgeFieldValue(
  value: string | number,
  category: Category,
  kind: ValueKind,
  mode: AnonymizationMode,
  how: DateGeneralization,
): FieldVerdict | undefined {
  const text = String(value);
  if (text.trim() === '') return undefined;
  switch (kind) {
    case 'age': {
      const years = ageInYears(value);
      if (mode === 'hipaa_safe_harbor' && (years === undefined || years <= OLDEST_EXACT_AGE))
        return undefined;
      return years === undefined ? { category } : { category, generalized: generalizeAge(years) };
    }
    case 'postal': {
      const generalized = generalizePostalCode(text);
      return generalized === undefined ? { category } : { category, generalized };
    }
    case 'date': {
      const match = anyDate(text);
      const generalized = match && generalizeDate(match, how);
      return generalized === undefined ? { category } : { category, generalized };
    }
    case 'contact':
      return { category: text.includes('@') ? 'EMAIL' : category };
    default:
      // A party's "name" is often a login or an e-mail address (corona.json's composer is one).
      return { category: category === 'NAME' && EMAIL_ONLY.test(text) ? 'EMAIL' : category };
  }
}
