import type { Category } from '../categories.js';

/** How the value of a matched element is interpreted for generalisation. */
export type ValueKind = 'text' | 'postal' | 'age' | 'date' | 'contact';

/**
 * Elements recognised by their node id, i.e. by the name the template gives them (English and German, as in
 * the fixtures). `leaf` phrases match the element's own id; `ancestor` phrases match any enclosing node, so
 * everything inside an address or an occupation cluster is covered. A phrase matches whole words of the id
 * in sequence (`postal_code` matches `patient_postal_code`, `plz` does not match `plzx`).
 */
export interface ElementRule {
  detector: string;
  category: Category;
  kind: ValueKind;
  leaf: readonly string[];
  ancestor?: readonly string[];
  /** Ids that contain a phrase but mean something else (gestational age is not a person's age). */
  except?: readonly string[];
}

/** Phrases are written space-separated; each is a node-id word sequence joined by `_`. */
function rule(
  detector: string,
  category: Category,
  kind: ValueKind,
  leaf: string,
  more: { ancestor?: string; except?: string } = {},
): ElementRule {
  const list = (text?: string) => (text ? text.split(' ') : undefined);
  return {
    detector,
    category,
    kind,
    leaf: list(leaf)!,
    ancestor: list(more.ancestor),
    except: list(more.except),
  };
}

export const ELEMENT_RULES: readonly ElementRule[] = [
  rule(
    'structure:postal-code',
    'LOCATION',
    'postal',
    'postcode postal_code post_code postleitzahl plz zip zip_code zipcode',
  ),
  rule(
    'structure:address',
    'LOCATION',
    'text',
    'address adresse anschrift address_line street strasse straße house_number hausnummer city stadt town wohnort village dorf county landkreis gemeinde district stadtteil municipality',
    { ancestor: 'address adresse anschrift wohnadresse postal_address postanschrift wohnort' },
  ),
  rule(
    'structure:contact',
    'PHONE',
    'contact',
    'telecom telecommunication contact_details kontaktdaten kontaktinformation',
  ),
  rule('structure:fax', 'FAX', 'text', 'fax telefax faxnummer'),
  rule(
    'structure:phone',
    'PHONE',
    'text',
    'phone telephone telefon telefonnummer mobile mobilnummer handy handynummer',
  ),
  rule('structure:email', 'EMAIL', 'text', 'email e_mail mail'),
  rule('structure:url', 'URL', 'text', 'url website homepage webseite'),
  rule(
    'structure:person-name',
    'NAME',
    'text',
    'first_name given_name forename vorname rufname family_name last_name surname nachname familienname geburtsname maiden_name middle_name full_name patient_name person_name patientenname name_des_patienten name_of_patient',
  ),
  rule(
    'structure:birth-death-date',
    'DATE',
    'date',
    'date_of_birth birth_date birthdate dob geburtsdatum geburtstag birthday date_of_death death_date sterbedatum todesdatum',
  ),
  rule(
    'structure:national-id',
    'NATIONAL_ID',
    'text',
    'ssn social_security_number sozialversicherungsnummer national_id national_identifier national_insurance_number nhs_number steuer_id steueridentifikationsnummer passport_number passnummer reisepassnummer personalausweisnummer id_card_number',
  ),
  rule(
    'structure:record-number',
    'MRN',
    'text',
    'mrn medical_record_number patient_id patienten_id patientennummer patient_number fallnummer case_number krankenaktennummer',
  ),
  rule(
    'structure:health-plan',
    'HEALTH_PLAN',
    'text',
    'insurance_number versichertennummer krankenversichertennummer kvnr policy_number member_id member_number health_plan_number beneficiary_number versicherungsnummer',
  ),
  rule(
    'structure:account',
    'ACCOUNT',
    'text',
    'account_number kontonummer iban bank_account credit_card_number',
  ),
  rule(
    'structure:vehicle',
    'VEHICLE',
    'text',
    'license_plate licence_plate kennzeichen kfz_kennzeichen vin vehicle_identification_number',
  ),
  rule(
    'structure:license',
    'LICENSE',
    'text',
    'license_number licence_number driver_license drivers_license führerscheinnummer certificate_number lanr',
  ),
  rule(
    'structure:device',
    'DEVICE',
    'text',
    'serial_number seriennummer device_id device_identifier udi imei',
  ),
  rule('structure:ip', 'IP', 'text', 'ip_address ip ip_adresse'),
  rule(
    'structure:identifier-element',
    'IDENTIFIER',
    'text',
    'identifier identifikator kennung identifikationsnummer',
  ),
  rule('structure:age', 'AGE', 'age', 'age alter lebensalter', {
    except: 'gestational_age gestationsalter bone_age knochenalter skelettalter',
  }),
  // GDPR quasi-identifiers (gdpr mode only, see categories.ts).
  rule(
    'structure:gender',
    'GENDER',
    'text',
    'gender sex geschlecht administrative_gender gender_identity biological_sex',
  ),
  rule(
    'structure:marital-status',
    'MARITAL_STATUS',
    'text',
    'marital_status familienstand civil_status zivilstand',
  ),
  rule(
    'structure:ethnicity',
    'ETHNICITY',
    'text',
    'ethnicity ethnic_background ethnic_group ethnic_origin ethnische_zugehörigkeit ethnizität race ethnie',
  ),
  rule(
    'structure:education',
    'EDUCATION',
    'text',
    'education education_level bildung bildungsabschluss schulabschluss bildungsstand ausbildung',
  ),
  rule(
    'structure:occupation',
    'OCCUPATION',
    'text',
    'occupation beruf berufsbezeichnung job job_title profession employer arbeitgeber beschäftigung employment beschäftigungsstatus tätigkeit',
    { ancestor: 'occupation beruf beschäftigung employment employer arbeitgeber' },
  ),
];
