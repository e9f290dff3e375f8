import { describe, expect, it } from 'vitest';
import type { AnonymizationMode } from '../../../src/privacy/categories.js';
import { findPatternHits, resolveOverlaps } from '../../../src/privacy/text/scan-text.js';

/** `CATEGORY:matched text` for every hit kept after overlap resolution. */
function found(text: string, mode: AnonymizationMode = 'gdpr'): string[] {
  return resolveOverlaps(findPatternHits(text, mode)).map(
    (h) => `${h.category}:${text.slice(h.start, h.end)}`,
  );
}

describe('true positives per category (realistic clinical sentences)', () => {
  it.each([
    // EMAIL
    ['Befund an birger.haarbrandt@plri.de gesendet', ['EMAIL:birger.haarbrandt@plri.de']],
    ['Contact: Jane.O-Neil+ward7@nhs.example.co.uk.', ['EMAIL:Jane.O-Neil+ward7@nhs.example.co.uk']],
    // URL
    [
      'see https://portal.example.org/patients/4711?tab=labs.',
      ['URL:https://portal.example.org/patients/4711?tab=labs'],
    ],
    ['Bilder unter www.klinik-beispiel.de/bilder', ['URL:www.klinik-beispiel.de/bilder']],
    [
      'linked ehr://7d44b88c-4199-4bad-97dc-d78268e01398/compositions/1',
      ['URL:ehr://7d44b88c-4199-4bad-97dc-d78268e01398/compositions/1'],
    ],
    // IP
    ['login from 192.168.10.23 failed', ['IP:192.168.10.23']],
    ['device at fe80::1ff:fe23:4567:890a reported', ['IP:fe80::1ff:fe23:4567:890a']],
    // PHONE / FAX
    ['Tel.: 0621 383-2211, Fax 0621 383-2212', ['PHONE:0621 383-2211', 'FAX:0621 383-2212']],
    ['call daughter on +44 20 7946 0958 tonight', ['PHONE:+44 20 7946 0958']],
    ['Patient reachable at (617) 555-0143', ['PHONE:(617) 555-0143']],
    ['Handy 0171/1234567', ['PHONE:0171/1234567']],
    // NATIONAL_ID
    ['SSN 078-05-1120 on file', ['NATIONAL_ID:078-05-1120']],
    ['NHS number 943 476 5919', ['NATIONAL_ID:943 476 5919']],
    ['Steuer-ID 86095742719', ['NATIONAL_ID:86095742719']],
    ['BSN: 111222333', ['NATIONAL_ID:111222333']],
    ['Passport No. C01X00T47', ['NATIONAL_ID:C01X00T47']],
    // MRN
    ['MRN: 00123456 admitted', ['MRN:00123456']],
    ['Fallnummer 2021-004711 angelegt', ['MRN:2021-004711']],
    ['patient ID #A-99812', ['MRN:A-99812']],
    // HEALTH_PLAN
    ['Versichertennummer: A123456780', ['HEALTH_PLAN:A123456780']],
    ['member ID XJH4418827', ['HEALTH_PLAN:XJH4418827']],
    // ACCOUNT
    ['IBAN DE89 3704 0044 0532 0130 00 for refunds', ['ACCOUNT:DE89 3704 0044 0532 0130 00']],
    ['paid with 4111 1111 1111 1111', ['ACCOUNT:4111 1111 1111 1111']],
    // LICENSE
    ['DEA number AB1234563', ['LICENSE:AB1234563']],
    ['LANR 123456601 der überweisenden Ärztin', ['LICENSE:123456601']],
    // VEHICLE
    ['hit by car, VIN 1M8GDM9AXKP042788', ['VEHICLE:1M8GDM9AXKP042788']],
    ['Kennzeichen MA-AB 1234 notiert', ['VEHICLE:MA-AB 1234']],
    // DEVICE
    ['pacemaker serial number PM2020-88123', ['DEVICE:PM2020-88123']],
    ['IMEI: 490154203237518', ['DEVICE:490154203237518']],
    // DATE
    ['seen on 2021-04-01 and again 2021-04-15T08:30:00Z', ['DATE:2021-04-01', 'DATE:2021-04-15T08:30:00Z']],
    ['Aufnahme am 01.04.2021, Entlassung 15.04.21', ['DATE:01.04.2021', 'DATE:15.04.21']],
    ['DOB 04/23/1931', ['DATE:04/23/1931']],
    ['operated on 3 March 2019 and March 12th, 2020', ['DATE:3 March 2019', 'DATE:March 12th, 2020']],
    ['seit März 2020, zuletzt am 1. April', ['DATE:März 2020', 'DATE:1. April']],
    ['R1/2021-04-01T12:00:00+02:00/P1M', ['DATE:2021-04-01T12:00:00+02:00']],
    // LOCATION
    [
      'wohnt Hauptstraße 5, 68159 Mannheim',
      ['LOCATION:Hauptstraße 5', 'LOCATION:68159', 'LOCATION:Mannheim'],
    ],
    ['lives at 221 Baker Street, London NW1 6XE', ['LOCATION:221 Baker Street', 'LOCATION:NW1 6XE']],
    ['moved to Boston, MA 02115-1234', ['LOCATION:Boston', 'LOCATION:02115-1234']],
    ['PLZ: 10115', ['LOCATION:10115']],
    // NAME
    ['Seen by Dr. Gregory House today', ['NAME:Gregory House']],
    ['Rücksprache mit Frau Müller-Lüdenscheidt', ['NAME:Müller-Lüdenscheidt']],
    ['Prof. Dr. med. Anna von Bergen informiert', ['NAME:Anna von Bergen']],
    ['Patient: Smith, John', ['NAME:Smith, John']],
    ['untersucht von Lara Markham', ['NAME:Lara Markham']],
    // AGE (hipaa reports only > 89)
    ['93-year-old female', ['AGE:93', 'GENDER:female']],
    ['Alter: 95', ['AGE:95']],
    // GDPR quasi-identifiers
    ['verheiratet, arbeitet als Lehrerin', ['MARITAL_STATUS:verheiratet', 'OCCUPATION:Lehrerin']],
    ['Ethnicity: Pacific Islander; occupation: welder', ['ETHNICITY:Pacific Islander', 'OCCUPATION:welder']],
    ['highest education: PhD in physics', ['EDUCATION:PhD in physics']],
    ['45 y/o divorced Hispanic man', ['AGE:45', 'MARITAL_STATUS:divorced', 'ETHNICITY:Hispanic']],
  ])('%s', (text, expected) => {
    expect(found(text, 'gdpr')).toEqual(expected);
  });
});

describe('true negatives: clinical text, codes and ids that are not identifiers', () => {
  it.each([
    'Vital Signs',
    'Blood Pressure Measurement',
    'Body Mass Index',
    'Appropriate clothing/bedding',
    'Fieber oder erhöhte Körpertemperatur',
    'Erkankung verursacht durch schweren akuten respiratorischen Coronavirus 2 (Krankheit)',
    'Leben/Wohnen/Arbeiten in einer Einrichtung des Gesundheitswesens (Pflegeeinrichtung/ Krankenhaus)',
    'Name des Problems/ der Diagnose 53',
    'ISO_639-1',
    'ISO_3166-1',
    'IANA_character-sets',
    'UTF-8',
    'at0006',
    'openEHR-EHR-OBSERVATION.body_temperature.v2',
    'openEHR-EHR-ACTION.test_all_types.v1',
    'vital_signs.v1',
    '84d7c3f5-1bb2-4f1c-9e7a-2b8c6f1d3e4a::local.ehrbase.org::1',
    'version 2.4.0',
    '636.3397240638733',
    '148.01210165023804 mm[H20]',
    'BP 120/80 mmHg, HR 72/min',
    'pH 7.35-7.45',
    'Hb 13.5 g/dl, Leukozyten 7.2 /nl',
    'P30D',
    'PT30M',
    '18:36:49',
    '2019-nCoV',
    'C.70 description',
    'Sodium 140 mmol/L, potassium 4.1 mmol/L',
    'took 2 tablets for 10 years, 5 years ago',
    'single dose of 500 mg',
    'the nurse reviewed the wound',
    'Patient reported pain 7/10',
    'CD4 count 350 cells/µl',
    '1004034',
    'composer test value',
  ])('%s', (text) => {
    expect(found(text, 'gdpr')).toEqual([]);
  });
});

describe('modes', () => {
  it('hipaa_safe_harbor reports ages over 89 only and no quasi-identifiers', () => {
    expect(found('89 years old, married, works as a teacher, female', 'hipaa_safe_harbor')).toEqual([]);
    expect(found('90 years old', 'hipaa_safe_harbor')).toEqual(['AGE:90']);
    expect(found('89 years old', 'gdpr')).toEqual(['AGE:89']);
  });
});

describe('generalisation of text hits', () => {
  const generalized = (text: string, shiftDays?: number) =>
    resolveOverlaps(findPatternHits(text, 'gdpr')).map((h) =>
      h.generalize?.(shiftDays === undefined ? {} : { shiftDays }),
    );

  it('dates become their year, or shift keeping their own format', () => {
    expect(generalized('2021-04-01T12:00:00+02:00')).toEqual(['2021']);
    expect(generalized('2021-04-01T12:00:00+02:00', -3)).toEqual(['2021-03-29T12:00:00+02:00']);
    expect(generalized('01.04.2021', 31)).toEqual(['02.05.2021']);
    expect(generalized('1.4.2021', 1)).toEqual(['2.4.2021']);
    expect(generalized('04/23/1931', 10)).toEqual(['05/03/1931']);
    expect(generalized('3 March 2019', 1)).toEqual(['2019-03-04']);
    expect(generalized('15.04.21')).toEqual([undefined]);
  });

  it('ages become 90+ or five-year bands, postal codes are truncated', () => {
    expect(generalized('93 years old')).toEqual(['90+']);
    expect(generalized('42 years old')).toEqual(['40-44']);
    expect(generalized('Boston, MA 02115')).toEqual([undefined, '02100']);
    expect(generalized('London NW1 6XE')).toEqual(['NW1']);
  });
});
