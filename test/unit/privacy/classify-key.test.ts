import { describe, expect, it } from 'vitest';
import { classifyKey } from '../../../src/privacy/structure/classify-key.js';
import { planComposition, valueHints } from '../../../src/privacy/structure/composition-plan.js';
import { parseFlatKey } from '../../../src/privacy/structure/flat-key.js';
import { loadFlatFixtures } from '../transform/flat-fixtures.js';

const describePlan = (key: string, mode: 'gdpr' | 'hipaa_safe_harbor' = 'hipaa_safe_harbor') => {
  const plan = classifyKey(key, mode);
  return plan.kind === 'field' ? `${plan.category} ${plan.detector}` : plan.kind;
};

describe('parseFlatKey', () => {
  it('separates segments, indexes and the attribute', () => {
    expect(parseFlatKey('ctx/participation_identifiers:1|issuer:0')).toEqual({
      base: 'ctx/participation_identifiers:1',
      segments: ['ctx', 'participation_identifiers'],
      attr: 'issuer',
    });
    expect(parseFlatKey('bericht/körpergewicht:0/any_event_en:1/gewicht')).toEqual({
      base: 'bericht/körpergewicht:0/any_event_en:1/gewicht',
      segments: ['bericht', 'körpergewicht', 'any_event_en', 'gewicht'],
    });
  });
});

describe('classifyKey: parties and RM attributes (keys from the fixtures)', () => {
  it.each([
    ['test_all_types/composer|name', 'NAME structure:party-name'],
    ['test_all_types/composer|id', 'IDENTIFIER structure:party-id'],
    ['test_all_types/composer|id_scheme', 'skip'],
    ['nesting/composer|id_namespace', 'skip'],
    ['enc/obs:0/subject|name', 'NAME structure:party-name'],
    ['enc/act:0/_other_participation:1|name', 'NAME structure:party-name'],
    ['enc/act:0/_other_participation:1|function', 'skip'],
    ['enc/context/_health_care_facility|name', 'LOCATION structure:facility-name'],
    ['enc/context/_health_care_facility|id', 'IDENTIFIER structure:party-id'],
    ['ctx/composer_name', 'NAME structure:party-name'],
    ['ctx/composer_id', 'IDENTIFIER structure:party-id'],
    ['ctx/participation_name:1', 'NAME structure:party-name'],
    ['ctx/participation_identifiers', 'IDENTIFIER structure:party-id'],
    ['ctx/participation_identifiers:1|issuer:0', 'IDENTIFIER structure:identifier'],
    ['ctx/participation_identifiers:1|id:1', 'IDENTIFIER structure:party-id'],
    ['ctx/participation_identifiers:1|type:0', 'skip'],
    ['ctx/health_care_facility|name', 'LOCATION structure:facility-name'],
    ['ctx/work_flow_id|id', 'IDENTIFIER structure:identifier'],
    ['ctx/id_namespace', 'text'],
    ['test_all_types/test_all_types:0/identifier|issuer', 'IDENTIFIER structure:identifier'],
    ['test_all_types/test_all_types:0/identifier|type', 'skip'],
    ['nesting/_link:0|target', 'URL structure:link'],
    ['nesting/_link:0|type', 'skip'],
    ['enc/context/_location', 'LOCATION structure:care-location'],
  ])('%s → %s', (key, expected) => {
    expect(describePlan(key)).toBe(expected);
  });
});

describe('classifyKey: what is never identifying', () => {
  it.each([
    'bericht/_uid',
    'bericht/allgemeine_angaben/dienstleistung:0/_uid',
    'bericht/language|code',
    'bericht/language|terminology',
    'bericht/symptome/körpertemperatur/temperatur|unit',
    'test_all_types/test_all_types:0/multimedia_any|mediatype',
    'test_all_types/test_all_types:0/parsable_any|formalism',
    'bericht/context/setting|code',
    'test_all_types/test_all_types:0/proportion_any|type',
  ])('%s is skipped', (key) => {
    expect(describePlan(key)).toBe('skip');
  });

  it('coded text values and plain elements are free text, to be scanned', () => {
    expect(describePlan('bericht/context/setting|value')).toBe('text');
    expect(describePlan('encounter/body_temperature:1/location_of_measurement|other')).toBe('text');
    expect(describePlan('bericht/geschichte_historie:0/beliebiges_ereignis:0/geschichte:0')).toBe('text');
  });
});

describe('classifyKey: elements recognised by name', () => {
  it.each([
    ['r/patient/address:0/postal_code', 'LOCATION structure:postal-code'],
    ['r/demographics/plz', 'LOCATION structure:postal-code'],
    ['r/demographics/wohnadresse/land', 'LOCATION structure:address'],
    [
      'bericht/risikogebiet/reisefall:0/beliebiges_intervallereignis:0/bestimmte_reise:0/bestimmtes_reiseziel:0/stadt',
      'LOCATION structure:address',
    ],
    ['r/contact/telefonnummer', 'PHONE structure:phone'],
    ['r/contact/telecom|value', 'PHONE structure:contact'],
    ['r/contact/fax', 'FAX structure:fax'],
    ['r/contact/e_mail', 'EMAIL structure:email'],
    ['r/person/vorname', 'NAME structure:person-name'],
    ['r/person/date_of_birth', 'DATE structure:birth-death-date'],
    ['r/person/nhs_number', 'NATIONAL_ID structure:national-id'],
    ['r/case/fallnummer', 'MRN structure:record-number'],
    ['r/insurance/versichertennummer', 'HEALTH_PLAN structure:health-plan'],
    ['r/device/serial_number', 'DEVICE structure:device'],
    ['r/person/age', 'AGE structure:age'],
    ['r/person/age_at_onset|magnitude', 'AGE structure:age'],
    ['r/person/address/postal_code|terminology', 'skip'],
  ])('%s → %s', (key, expected) => {
    expect(describePlan(key)).toBe(expected);
  });

  it('does not take clinical elements for personal ones', () => {
    expect(describePlan('r/pregnancy/gestational_age')).toBe('text');
    expect(describePlan('encounter/body_temperature:0/location_of_measurement|value')).toBe('text');
    expect(
      describePlan(
        'bericht/risikogebiet/historie_der_reise:0/ortsbeschreibung/standort/standortbeschreibung',
      ),
    ).toBe('text');
    expect(describePlan('bericht/kontakt/personenkontakt/agent_en')).toBe('text');
    expect(describePlan('nesting/nested:0/nested:0/current_activity/action_archetype_id')).toBe('text');
  });

  it('detects GDPR quasi-identifiers in gdpr mode only', () => {
    const occupation =
      'bericht/allgemeine_angaben/gesundheitsbezogener_beruf/beschäftigung:0/berufsbezeichnung_rolle';
    const employer =
      'bericht/allgemeine_angaben/gesundheitsbezogener_beruf/beschäftigung:0/organisation:0/name_der_einrichtung';
    expect(describePlan(occupation, 'gdpr')).toBe('OCCUPATION structure:occupation');
    expect(describePlan(employer, 'gdpr')).toBe('OCCUPATION structure:occupation');
    expect(describePlan(occupation, 'hipaa_safe_harbor')).toBe('text');
    expect(describePlan('r/person/gender|code', 'gdpr')).toBe('GENDER structure:gender');
    expect(describePlan('r/person/gender|code', 'hipaa_safe_harbor')).toBe('skip');
    expect(describePlan('r/person/familienstand|value', 'gdpr')).toBe(
      'MARITAL_STATUS structure:marital-status',
    );
  });
});

describe('sibling hints', () => {
  it('makes a DV_IDENTIFIER id, an image URI and an ISO 8601 DV_PARSABLE recognisable', () => {
    const flat = loadFlatFixtures().find((f) => f.name === 'test_all_types.json')!.flat;
    const keys = Object.keys(flat);
    const plan = planComposition(keys, (k) => classifyKey(k, 'hipaa_safe_harbor'));
    const at = (k: string) => keys.indexOf(`test_all_types/test_all_types:0/${k}`);
    expect(plan.plans[at('identifier')]).toMatchObject({ kind: 'field', category: 'IDENTIFIER' });
    const hints = valueHints(flat, plan);
    expect([...hints.photos]).toEqual([at('multimedia_any')]);
    const timing = keys.indexOf(
      'test_all_types/test_all_types3:0/section_2/section_3/test_all_types:0/current_activity/timing',
    );
    expect([...hints.isoParsable]).toEqual([at('parsable_any'), timing]);
  });
});
