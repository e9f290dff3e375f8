/** Check-digit algorithms that make number detectors precise; inputs are digit strings unless noted. */

/** Luhn (credit cards, IMEI). */
export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length > 0 && sum % 10 === 0;
}

/** NHS number (England/Wales): modulus 11 with weights 10..2; a remainder giving 10 is never valid. */
export function nhsNumberValid(digits: string): boolean {
  if (!/^\d{10}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += (digits.charCodeAt(i) - 48) * (10 - i);
  const check = 11 - (sum % 11);
  if (check === 10) return false;
  return (check === 11 ? 0 : check) === digits.charCodeAt(9) - 48;
}

/** German tax id (Steuer-ID): 11 digits, no leading 0, ISO 7064 MOD 11,10 check digit. */
export function steuerIdValid(digits: string): boolean {
  if (!/^[1-9]\d{10}$/.test(digits)) return false;
  let product = 10;
  for (let i = 0; i < 10; i++) {
    let sum = (digits.charCodeAt(i) - 48 + product) % 10;
    if (sum === 0) sum = 10;
    product = (sum * 2) % 11;
  }
  const check = 11 - product === 10 ? 0 : 11 - product;
  return check === digits.charCodeAt(10) - 48;
}

/** Dutch BSN: 9 digits, "11-proof" (weights 9..2 and -1). */
export function bsnValid(digits: string): boolean {
  if (!/^\d{9}$/.test(digits)) return false;
  let sum = 0;
  for (let i = 0; i < 8; i++) sum += (digits.charCodeAt(i) - 48) * (9 - i);
  sum -= digits.charCodeAt(8) - 48;
  return sum % 11 === 0 && sum !== 0;
}

/**
 * German health insurance number (KVNR, "Krankenversichertennummer"): a letter and 9 digits; the letter as
 * 01..26 followed by the first 8 digits, weights 1,2,1,2…, digit sums of the products, sum mod 10 = last digit.
 */
export function kvnrValid(text: string): boolean {
  if (!/^[A-Z]\d{9}$/.test(text)) return false;
  const letter = String(text.charCodeAt(0) - 64).padStart(2, '0');
  const digits = letter + text.slice(1, 9);
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let p = (digits.charCodeAt(i) - 48) * (i % 2 === 0 ? 1 : 2);
    if (p > 9) p = Math.floor(p / 10) + (p % 10);
    sum += p;
  }
  return sum % 10 === text.charCodeAt(9) - 48;
}

/** IBAN (ISO 13616): country, check digits, BBAN; valid when the rearranged number mod 97 = 1. */
export function ibanValid(text: string): boolean {
  const iban = text.replace(/\s/g, '').toUpperCase();
  if (!/^[A-Z]{2}\d{2}[A-Z0-9]{11,30}$/.test(iban)) return false;
  const rearranged = iban.slice(4) + iban.slice(0, 4);
  let remainder = 0;
  for (const ch of rearranged) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) remainder = (remainder * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return remainder === 1;
}

const VIN_VALUES: Record<string, number> = {
  A: 1,
  B: 2,
  C: 3,
  D: 4,
  E: 5,
  F: 6,
  G: 7,
  H: 8,
  J: 1,
  K: 2,
  L: 3,
  M: 4,
  N: 5,
  P: 7,
  R: 9,
  S: 2,
  T: 3,
  U: 4,
  V: 5,
  W: 6,
  X: 7,
  Y: 8,
  Z: 9,
};
const VIN_WEIGHTS = [8, 7, 6, 5, 4, 3, 2, 10, 0, 9, 8, 7, 6, 5, 4, 3, 2];

/** North American VIN (49 CFR 565): 17 characters without I, O, Q; position 9 is a mod-11 check (X = 10). */
export function vinValid(text: string): boolean {
  if (!/^[A-HJ-NPR-Z0-9]{17}$/.test(text)) return false;
  let sum = 0;
  for (let i = 0; i < 17; i++) {
    const ch = text[i]!;
    const value = ch >= '0' && ch <= '9' ? Number(ch) : VIN_VALUES[ch]!;
    sum += value * VIN_WEIGHTS[i]!;
  }
  const check = sum % 11;
  return text[8] === (check === 10 ? 'X' : String(check));
}
