/**
 * Three-digit ZIP prefixes whose area had 20,000 people or fewer (2000 census), which Safe Harbor requires
 * to become 000 (HHS guidance on de-identification, section 2.4).
 */
export const RESTRICTED_ZIP3 = new Set([
  '036',
  '059',
  '063',
  '102',
  '203',
  '556',
  '692',
  '790',
  '821',
  '823',
  '830',
  '831',
  '878',
  '879',
  '884',
  '890',
  '893',
]);

const FIVE_DIGITS = /^(\d{3})\d{2}(?:-\d{4})?$/;
const FOUR_DIGITS = /^(\d{2})\d{2}(?:\s?[A-Z]{2})?$/;
const UK = /^([A-Z]{1,2}\d[A-Z\d]?)\s*\d[A-Z]{2}$/;

/**
 * A postal code truncated as Safe Harbor asks for ZIP codes: 5-digit codes (US ZIP, ZIP+4, and also German
 * PLZ, which cannot be told apart) keep their first three digits (`000` for the restricted prefixes), padded
 * to `68100`; 4-digit codes keep two digits (`1012 AB` → `1000`); UK postcodes keep the outward code
 * (`SW1A 1AA` → `SW1A`). Anything else cannot be generalised safely: undefined (the caller redacts).
 */
export function generalizePostalCode(code: string): string | undefined {
  const text = code.trim().toUpperCase();
  const five = FIVE_DIGITS.exec(text);
  if (five) return RESTRICTED_ZIP3.has(five[1]!) ? '00000' : `${five[1]}00`;
  const four = FOUR_DIGITS.exec(text);
  if (four) return `${four[1]}00`;
  const uk = UK.exec(text);
  if (uk) return uk[1];
  return undefined;
}
