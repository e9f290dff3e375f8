import type { AnonymizationConfig } from '../config/types.js';

export type AnonymizationMode = AnonymizationConfig['mode'];

/**
 * What a detected value is. The first group maps the HIPAA Safe Harbor identifiers (45 CFR 164.514(b)(2));
 * the second are the GDPR quasi-identifiers, detected in `gdpr` mode only. Biometric identifiers have no
 * category: nothing in FLAT content marks them (docs/privacy.md, limitations).
 */
export const SAFE_HARBOR_CATEGORIES = [
  'NAME',
  'LOCATION',
  'DATE',
  'PHONE',
  'FAX',
  'EMAIL',
  'NATIONAL_ID',
  'MRN',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
  'URL',
  'IP',
  'PHOTO',
  'IDENTIFIER',
  'AGE',
] as const;

export const QUASI_IDENTIFIER_CATEGORIES = [
  'GENDER',
  'OCCUPATION',
  'EDUCATION',
  'MARITAL_STATUS',
  'ETHNICITY',
] as const;

export type Category = (typeof SAFE_HARBOR_CATEGORIES)[number] | (typeof QUASI_IDENTIFIER_CATEGORIES)[number];

const QUASI: ReadonlySet<Category> = new Set(QUASI_IDENTIFIER_CATEGORIES);

/** Whether a mode looks for a category at all (AGE is in both, with different thresholds). */
export function isDetectedIn(mode: AnonymizationMode, category: Category): boolean {
  return mode === 'gdpr' || !QUASI.has(category);
}
