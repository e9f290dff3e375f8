import { describe, expect, it } from 'vitest';
import {
  bsnValid,
  ibanValid,
  kvnrValid,
  luhnValid,
  nhsNumberValid,
  steuerIdValid,
  vinValid,
} from '../../../src/privacy/patterns/checksums.js';

// Published example numbers (issuers' documentation and test data), and the same with one digit changed.
describe('check digits', () => {
  it.each([
    ['NHS number', nhsNumberValid, '9434765919', '9434765918'],
    ['Luhn (card)', luhnValid, '4111111111111111', '4111111111111112'],
    ['Luhn (IMEI)', luhnValid, '490154203237518', '490154203237519'],
    ['German tax id', steuerIdValid, '86095742719', '86095742718'],
    ['Dutch BSN', bsnValid, '111222333', '111222334'],
    ['KVNR', kvnrValid, 'A123456780', 'A123456781'],
    ['IBAN (DE)', ibanValid, 'DE89 3704 0044 0532 0130 00', 'DE89 3704 0044 0532 0130 01'],
    ['IBAN (GB)', ibanValid, 'GB82WEST12345698765432', 'GB82WEST12345698765433'],
    ['VIN', vinValid, '1M8GDM9AXKP042788', '1M8GDM9A1KP042788'],
  ])('%s: accepts a valid and rejects a mistyped number', (_name, valid, good, bad) => {
    expect(valid(good)).toBe(true);
    expect(valid(bad)).toBe(false);
  });

  it('rejects malformed input', () => {
    expect(nhsNumberValid('943476591')).toBe(false);
    expect(steuerIdValid('06095742719')).toBe(false);
    expect(kvnrValid('a123456780')).toBe(false);
    expect(vinValid('1M8GDM9AXKP04278O')).toBe(false);
    expect(ibanValid('DE89')).toBe(false);
    expect(bsnValid('000000000')).toBe(false);
  });
});
