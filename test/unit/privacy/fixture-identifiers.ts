/**
 * The identifying values of each FLAT fixture, listed by hand from reading the fixtures (independently of
 * the detectors): party names and ids, DV_IDENTIFIER values, places below state level, e-mail addresses,
 * image URIs, and every date (as its YYYY-MM-DD part, which is what must not survive).
 */
export const FIXTURE_IDENTIFIERS: Record<string, string[]> = {
  'AlternativeEvents.json': ['Test', '2010-11-02', '2013-11-02', '2015-11-02', '1990-11-02'],
  'corona.json': ['birger.haarbrandt@plri.de', 'Mannheim', '2020-05-11'],
  'corona_with_context.json': [
    'Silvia Blake',
    'Dr. Marcus Johnson',
    'Lara Markham',
    '123',
    '567',
    '199',
    '198',
    'issuer1::assigner1::id1::PERSON;issuer2::assigner2::id2::PERSON',
    'issuer3',
    'assigner3',
    'id3',
    'issuer4',
    'assigner4',
    'id4',
    'Hospital',
    '9091',
    'Stadt 48',
    'Stadt 78',
    'Land 1',
    '2021-04-01',
  ],
  'multi_occurrence.json': ['Test', '2020-10-06'],
  'nested.en.v1.json': [
    '194d0535-2822-411d-b2a1-2e1d9aad87e4',
    'composer test value',
    'ehr://target1',
    '2021-09-21',
  ],
  'test_all_types.json': [
    '55175056',
    'Hospital de Clinicas',
    'b7c07d35-fa06-4280-8e65-eabdfbe64fdc',
    'Dr. House',
    'www.iana.org',
    '2019-01-14',
    '2019-01-28',
    '20170629',
  ],
};

/** GDPR quasi-identifiers in the fixtures (gdpr mode only). */
export const FIXTURE_QUASI_IDENTIFIERS: Record<string, string[]> = {
  'corona_with_context.json': [
    'Beschäftigungsstatus 79',
    'Berufsbezeichnung/Rolle 86',
    'Name der Einrichtung 56',
  ],
};

/** Every string inside a JSON value. */
export function stringsIn(value: unknown): string[] {
  if (typeof value === 'string') return [value];
  if (Array.isArray(value)) return value.flatMap(stringsIn);
  if (value !== null && typeof value === 'object') return Object.values(value).flatMap(stringsIn);
  return [];
}

/**
 * Whether an identifier survives in any string value: long ones anywhere inside a value, short ones (ids
 * like "123") as a whole value or a whole word, since "123" may legitimately occur inside other numbers.
 */
export function survives(identifier: string, values: readonly string[]): boolean {
  if (identifier.length >= 5) return values.some((v) => v.includes(identifier));
  const word = new RegExp(
    `(?<![\\p{L}\\p{N}])${identifier.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}(?![\\p{L}\\p{N}])`,
    'u',
  );
  return values.some((v) => word.test(v));
}
