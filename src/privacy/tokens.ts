import { base32 } from './base32.js';
import type { Category } from './categories.js';
import type { KeyedHasher } from './keyed-hash.js';
import { memoize } from './memo.js';

/** Identifier-like categories: spacing, dashes and letter case are formatting, not content. */
const COMPACT: ReadonlySet<Category> = new Set([
  'NATIONAL_ID',
  'MRN',
  'HEALTH_PLAN',
  'ACCOUNT',
  'LICENSE',
  'VEHICLE',
  'DEVICE',
]);

/**
 * The form of a value that is tokenised, so that equal values written differently get equal tokens:
 * phone numbers keep only `+` and digits, identifier-like values drop spaces, dashes and case, everything
 * else is trimmed, NFC-normalised, whitespace-collapsed and (except dates and generic identifiers, where
 * case may matter) case-folded.
 */
export function normaliseForToken(category: Category, value: string): string {
  const text = value.normalize('NFC').trim().replace(/\s+/g, ' ');
  if (category === 'PHONE' || category === 'FAX') return text.replace(/[^\d+]/g, '');
  if (COMPACT.has(category)) return text.replace(/[\s./-]/g, '').toUpperCase();
  if (category === 'DATE' || category === 'IDENTIFIER') return text;
  return text.toLowerCase();
}

export type Tokenizer = (category: Category, value: string) => string;

/**
 * `<CATEGORY>-<base32 of the first 10 bytes of HMAC-SHA-256(key, category + "\0" + normalised value)>`,
 * e.g. `NAME-7QH3V2KXJ5LMNA4C`: 80 bits, deterministic for a key, irreversible without it. Equal values give
 * equal tokens in every run, table and process, so joins and longitudinal studies keep working.
 */
export function createTokenizer(hasher: KeyedHasher): Tokenizer {
  // Remembered by the raw value, so a recurring value skips normalisation as well as the HMAC.
  const tokenOf = memoize((input: string) => {
    const at = input.indexOf('\0');
    const category = input.slice(0, at) as Category;
    const mac = hasher.mac(category + '\0' + normaliseForToken(category, input.slice(at + 1)));
    return category + '-' + base32(mac.subarray(0, 10));
  });
  return (category, value) => tokenOf(category + '\0' + value);
}

/** HMAC-SHA-256(key, 'audit:' + value), first 16 bytes in hex. */
export function createAuditHasher(hasher: KeyedHasher): (value: string) => string {
  return memoize((value) =>
    hasher
      .mac('audit:' + value)
      .subarray(0, 16)
      .toString('hex'),
  );
}

/** `ehr-` + hex of the first 16 bytes of HMAC-SHA-256(key, 'ehr_id\0' + id): 36 characters, like a UUID. */
export function createEhrIdPseudonymizer(hasher: KeyedHasher): (ehrId: string) => string {
  return memoize(
    (ehrId) =>
      'ehr-' +
      hasher
        .mac('ehr_id\0' + ehrId)
        .subarray(0, 16)
        .toString('hex'),
  );
}
