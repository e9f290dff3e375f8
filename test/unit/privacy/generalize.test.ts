import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { ageInYears, generalizeAge } from '../../../src/privacy/generalize/age.js';
import { addDays, generalizeDate, isValidDate } from '../../../src/privacy/generalize/calendar.js';
import { dateOffsetDays } from '../../../src/privacy/generalize/date-offset.js';
import { parseIsoDateValue } from '../../../src/privacy/generalize/iso-date.js';
import { generalizePostalCode, RESTRICTED_ZIP3 } from '../../../src/privacy/generalize/postal.js';
import { createKeyedHasher } from '../../../src/privacy/keyed-hash.js';
import { TEST_KEY } from './support.js';

describe('calendar', () => {
  it('knows month lengths and leap years', () => {
    expect(isValidDate(2020, 2, 29)).toBe(true);
    expect(isValidDate(2019, 2, 29)).toBe(false);
    expect(isValidDate(1900, 2, 29)).toBe(false);
    expect(isValidDate(2021, 4, 31)).toBe(false);
    expect(addDays({ y: 2020, m: 2, d: 28 }, 1)).toEqual({ y: 2020, m: 2, d: 29 });
    expect(addDays({ y: 2021, m: 1, d: 1 }, -1)).toEqual({ y: 2020, m: 12, d: 31 });
  });
});

describe('per-EHR date offset', () => {
  const hasher = createKeyedHasher(TEST_KEY);

  it('is within ±365 days, never 0, and the same for the same EHR', () => {
    fc.assert(
      fc.property(fc.uuid(), (ehrId) => {
        const offset = dateOffsetDays(hasher, ehrId);
        expect(Math.abs(offset)).toBeGreaterThanOrEqual(1);
        expect(Math.abs(offset)).toBeLessThanOrEqual(365);
        expect(dateOffsetDays(createKeyedHasher(TEST_KEY), ehrId)).toBe(offset);
      }),
    );
  });

  it('differs between EHRs (not a global shift)', () => {
    const offsets = new Set(Array.from({ length: 50 }, (_, i) => dateOffsetDays(hasher, `ehr-${i}`)));
    expect(offsets.size).toBeGreaterThan(40);
  });
});

describe('ISO date values', () => {
  it('recognise DV_DATE and DV_DATE_TIME values, not times, durations or years', () => {
    for (const v of [
      '2019-01-14',
      '2019-01-28T21:22:49.426Z',
      '2020-05-11T22:53:12.039139+02:00',
      '2019-01',
      '2021-04-01T12:40',
    ]) {
      expect(parseIsoDateValue(v, false), v).toBeDefined();
    }
    for (const v of [
      '18:36:49',
      'PT30M',
      'P1D',
      '2019',
      '2019-13-01',
      '2019-02-30',
      'R1/2021-04-01T12:00:00+02:00/P1M',
      '20170629',
    ]) {
      expect(parseIsoDateValue(v, false), v).toBeUndefined();
    }
    expect(parseIsoDateValue('20170629', true)).toBeDefined();
  });

  it('generalise to the year or shift keeping format, time and zone', () => {
    const at = (v: string, how: { shiftDays?: number }) => generalizeDate(parseIsoDateValue(v, true)!, how);
    expect(at('2020-05-11T22:53:12.039139+02:00', {})).toBe('2020');
    expect(at('2020-05-11T22:53:12.039139+02:00', { shiftDays: -11 })).toBe(
      '2020-04-30T22:53:12.039139+02:00',
    );
    expect(at('2019-12-31', { shiftDays: 1 })).toBe('2020-01-01');
    expect(at('20170629', { shiftDays: 2 })).toBe('20170701');
    expect(at('2019-01', { shiftDays: 20 })).toBe('2019-02');
  });

  it('shifting keeps every interval between two dates of the same EHR (property)', () => {
    const date = fc.date({ min: new Date('1900-01-01'), max: new Date('2100-01-01'), noInvalidDate: true });
    fc.assert(
      fc.property(date, date, fc.integer({ min: -365, max: 365 }), (a, b, days) => {
        const iso = (d: Date) => d.toISOString().slice(0, 10);
        const shift = (d: Date) => generalizeDate(parseIsoDateValue(iso(d), false)!, { shiftDays: days })!;
        const gap = (x: string, y: string) => (Date.parse(y) - Date.parse(x)) / 86_400_000;
        expect(gap(shift(a), shift(b))).toBe(gap(iso(a), iso(b)));
      }),
    );
  });
});

describe('ages', () => {
  it('become 90+ above 89 and five-year bands below', () => {
    expect(generalizeAge(90)).toBe('90+');
    expect(generalizeAge(104)).toBe('90+');
    expect(generalizeAge(89)).toBe('85-89');
    expect(generalizeAge(0)).toBe('0-4');
  });

  it('are read from numbers, numeric text and ISO durations', () => {
    expect(ageInYears(93)).toBe(93);
    expect(ageInYears('93')).toBe(93);
    expect(ageInYears('93 Jahre')).toBe(93);
    expect(ageInYears('P93Y')).toBe(93);
    expect(ageInYears('P93Y4M')).toBe(93);
    expect(ageInYears('about ninety')).toBeUndefined();
  });
});

describe('postal codes (Safe Harbor truncation)', () => {
  it.each([
    ['02115', '02100'],
    ['02115-1234', '02100'],
    ['68159', '68100'],
    ['03601', '00000'],
    ['1012 AB', '1000'],
    ['SW1A 1AA', 'SW1A'],
    ['nw1 6xe', 'NW1'],
    ['K1A 0B1', undefined],
  ])('%s → %s', (code, expected) => {
    expect(generalizePostalCode(code)).toBe(expected);
  });

  it('covers the 17 restricted three-digit ZIP prefixes', () => {
    expect(RESTRICTED_ZIP3.size).toBe(17);
    for (const prefix of RESTRICTED_ZIP3) expect(generalizePostalCode(`${prefix}42`)).toBe('00000');
  });
});
