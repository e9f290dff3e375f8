import { emailDetector, faxDetector, ipDetector, phoneDetector, urlDetector } from './contact.js';
import { dateDetector } from './dates.js';
import { personNameDetector } from './names.js';
import { healthPlanDetector, nationalIdDetector } from './national-ids.js';
import { postalCodeDetector, streetAddressDetector } from './places.js';
import {
  ageDetector,
  educationDetector,
  ethnicityDetector,
  genderDetector,
  maritalStatusDetector,
  occupationDetector,
} from './quasi.js';
import {
  accountDetector,
  deviceDetector,
  licenseDetector,
  mrnDetector,
  vehicleDetector,
} from './record-ids.js';
import type { TextDetector } from './types.js';

/**
 * Every pattern detector, in priority order: when two hits of the same length overlap, the earlier detector
 * wins. Checksum-verified and labelled ids come before shape-only matches (an MRN after "MRN:" before a
 * 00-prefixed phone number, an IMEI after "IMEI:" before a Luhn-valid card number, a ZIP+4 after a state
 * before a trunk-prefixed phone number), an email before a URL.
 */
export const TEXT_DETECTORS: readonly TextDetector[] = [
  emailDetector,
  urlDetector,
  ipDetector,
  nationalIdDetector,
  healthPlanDetector,
  dateDetector,
  mrnDetector,
  licenseDetector,
  deviceDetector,
  accountDetector,
  vehicleDetector,
  postalCodeDetector,
  streetAddressDetector,
  faxDetector,
  phoneDetector,
  personNameDetector,
  ageDetector,
  genderDetector,
  maritalStatusDetector,
  ethnicityDetector,
  occupationDetector,
  educationDetector,
];
