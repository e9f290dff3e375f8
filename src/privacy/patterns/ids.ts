import type { Category } from '../categories.js';
import {
  bsnValid,
  ibanValid,
  kvnrValid,
  luhnValid,
  nhsNumberValid,
  steuerIdValid,
  vinValid,
} from './checksums.js';
import { digitsOf, eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector, TextHit } from './types.js';

/** A labelled value: `<label> [no./number/#] [:] <value>`; the value must contain a digit. */
function labelled(labels: string, value: string): RegExp {
  return new RegExp(
    String.raw`(?<![\p{L}\p{N}])(?:${labels})\s*(?:no\.?|nr\.?|number|nummer|#)?\s*[:#.]?\s*(?<v>${value})`,
    'giud',
  );
}

/**
 * Labels are case-insensitive, so the value pattern is too; a value stops before the first word with a lower
 * case letter ("Kennzeichen MA-AB 123 gesehen" → "MA-AB 123").
 */
export function eachLabelledValue(
  re: RegExp,
  text: string,
  onValue: (start: number, end: number, value: string) => void,
): void {
  eachMatch(re, text, (start, _end, m) => {
    const value = idPrefix(m.groups!.v!);
    if (value.length >= 3 && /\d/.test(value)) onValue(start, start + value.length, value);
  });
}

function idPrefix(value: string): string {
  const words = value.split(/(?<=\s)/);
  let kept = '';
  for (const word of words) {
    if (/\p{Ll}/u.test(word)) break;
    kept += word;
  }
  return kept.trimEnd().replace(/[\s./-]+$/, '');
}

function pushLabelled(re: RegExp, text: string, out: TextHit[], category: Category, detector: string): void {
  eachLabelledValue(re, text, (start, end) => out.push({ start, end, category, detector }));
}

const SSN_DASHED = /(?<![\d-])(?!000|666|9\d\d)\d{3}-(?!00)\d{2}-(?!0000)\d{4}(?![\d-])/g;
const SSN_LABEL = labelled('ssn|social security', String.raw`\d{3}[- ]?\d{2}[- ]?\d{4}`);
const NHS_GROUPED = /(?<![\d-])\d{3}[ -]\d{3}[ -]\d{4}(?![\d-])/g;
const NHS_LABEL = labelled('nhs', String.raw`\d{3}[ -]?\d{3}[ -]?\d{4}`);
const STEUER_ID = /(?<![\d-])[1-9]\d(?: ?\d{3}){3}(?![\d-])/g;
const BSN_LABEL = labelled('bsn|burgerservicenummer', String.raw`\d{9}`);
const NATIONAL_LABEL = labelled(
  'national id|personal id|passport|personalausweis|reisepass|sozialversicherungsnummer|sv-nummer|rentenversicherungsnummer|national insurance',
  '[A-Z0-9][A-Z0-9 -]{4,20}[A-Z0-9]',
);

export const nationalIdDetector: TextDetector = {
  name: 'pattern:national-id',
  category: 'NATIONAL_ID',
  catches:
    'US SSN 123-45-6789 (invalid areas excluded) or after "SSN"; NHS numbers 943 476 5919 (check digit verified); German tax ids (11 digits, check digit verified); Dutch BSN after "BSN" (11-proof); any value after passport / national id / Sozialversicherungsnummer labels',
  misses:
    'unlabelled SSNs without dashes; national numbers of other countries without a label; numbers with a wrong check digit (typos)',
  needs: hasDigit,
  find(text, _mode, out) {
    const push = (start: number, end: number) =>
      out.push({ start, end, category: 'NATIONAL_ID', detector: this.name });
    eachMatch(SSN_DASHED, text, push);
    eachLabelledValue(SSN_LABEL, text, push);
    eachMatch(NHS_GROUPED, text, (start, end, m) => {
      if (nhsNumberValid(digitsOf(m[0]))) push(start, end);
    });
    eachLabelledValue(NHS_LABEL, text, (start, end, value) => {
      if (nhsNumberValid(digitsOf(value))) push(start, end);
    });
    eachMatch(STEUER_ID, text, (start, end, m) => {
      if (steuerIdValid(digitsOf(m[0]))) push(start, end);
    });
    eachLabelledValue(BSN_LABEL, text, (start, end, value) => {
      if (bsnValid(value)) push(start, end);
    });
    pushLabelled(NATIONAL_LABEL, text, out, 'NATIONAL_ID', this.name);
  },
};

const MRN_LABEL = labelled(
  String.raw`mrn|medical record|patient(?:en)?[- ]?(?:id|nr\.?|number|nummer|no\.?)|pid|fall(?:nummer|nr\.?)?|case|chart|record|aktenzeichen`,
  '[A-Z0-9][A-Z0-9/-]{3,19}',
);

export const mrnDetector: TextDetector = {
  name: 'pattern:mrn',
  category: 'MRN',
  catches:
    'record and case numbers after a label: MRN, medical record, patient ID/Nr, PID, Fallnummer, case/chart/record no.',
  misses: 'bare numbers without a label; numbers without any digit',
  needs: hasDigit,
  find(text, _mode, out) {
    pushLabelled(MRN_LABEL, text, out, 'MRN', this.name);
  },
};

const HEALTH_PLAN_LABEL = labelled(
  String.raw`(?:insurance|policy|member|subscriber|beneficiary|health plan|(?:kranken)?versicherten|mitglieds)(?:[- ]?(?:id|no\.?|number|nr\.?|nummer))?`,
  '[A-Z0-9][A-Z0-9-]{4,24}',
);
const KVNR = /(?<![\p{L}\p{N}])[A-Z]\d{9}(?![\p{L}\p{N}])/gu;

export const healthPlanDetector: TextDetector = {
  name: 'pattern:health-plan',
  category: 'HEALTH_PLAN',
  catches:
    'values after insurance / policy / member / Versichertennummer labels; German KVNR (A123456780, check digit verified)',
  misses: 'unlabelled plan numbers of other schemes',
  needs: hasDigit,
  find(text, _mode, out) {
    pushLabelled(HEALTH_PLAN_LABEL, text, out, 'HEALTH_PLAN', this.name);
    eachMatch(KVNR, text, (start, end, m) => {
      if (kvnrValid(m[0])) out.push({ start, end, category: 'HEALTH_PLAN', detector: this.name });
    });
  },
};

const IBAN = /(?<![\p{L}\p{N}])[A-Z]{2}\d{2}(?: ?[A-Z0-9]{4}){2,7}(?: ?[A-Z0-9]{1,4})?(?![\p{L}\p{N}])/gu;
const CARD = /(?<![\d-])[3-6]\d{3}(?:[ -]?\d{4}){2}[ -]?\d{1,4}(?:[ -]?\d{3})?(?![\d-])/g;
const ACCOUNT_LABEL = labelled('account|acct|konto(?:nummer)?', String.raw`\d[\d -]{4,30}\d`);

export const accountDetector: TextDetector = {
  name: 'pattern:account',
  category: 'ACCOUNT',
  catches:
    'IBANs (mod-97 verified), payment card numbers of 13-19 digits (Luhn verified), numbers after account/Konto labels',
  misses: 'unlabelled domestic account numbers',
  needs: hasDigit,
  find(text, _mode, out) {
    const push = (start: number, end: number) =>
      out.push({ start, end, category: 'ACCOUNT', detector: this.name });
    eachMatch(IBAN, text, (start, end, m) => {
      if (ibanValid(m[0])) push(start, end);
    });
    eachMatch(CARD, text, (start, end, m) => {
      const digits = digitsOf(m[0]);
      if (digits.length >= 13 && digits.length <= 19 && luhnValid(digits)) push(start, end);
    });
    pushLabelled(ACCOUNT_LABEL, text, out, 'ACCOUNT', this.name);
  },
};

const LICENSE_LABEL = labelled(
  String.raw`licen[cs]e(?!\s*plate)|dea|npi|certificate|lanr|bsnr|approbation|führerschein`,
  '[A-Z0-9][A-Z0-9-]{4,19}',
);

export const licenseDetector: TextDetector = {
  name: 'pattern:license',
  category: 'LICENSE',
  catches: 'values after licence / DEA / NPI / certificate / LANR / Führerschein labels',
  misses: 'unlabelled licence numbers',
  needs: hasDigit,
  find(text, _mode, out) {
    pushLabelled(LICENSE_LABEL, text, out, 'LICENSE', this.name);
  },
};

const VIN = /(?<![\p{L}\p{N}])[A-HJ-NPR-Z0-9]{17}(?![\p{L}\p{N}])/gu;
const VEHICLE_LABEL = labelled(
  'licen[cs]e plate|number plate|(?:kfz-)?kennzeichen|vin',
  '[A-Z0-9ÄÖÜ][A-Z0-9ÄÖÜ -]{2,16}[A-Z0-9]',
);

export const vehicleDetector: TextDetector = {
  name: 'pattern:vehicle',
  category: 'VEHICLE',
  catches:
    'North American VINs (check digit verified); plates and VINs after a label (licence plate, Kennzeichen, VIN)',
  misses: 'unlabelled number plates; European VINs without a check digit and without a label',
  needs: hasDigit,
  find(text, _mode, out) {
    eachMatch(VIN, text, (start, end, m) => {
      if (/[A-Z]/.test(m[0]) && vinValid(m[0]))
        out.push({ start, end, category: 'VEHICLE', detector: this.name });
    });
    pushLabelled(VEHICLE_LABEL, text, out, 'VEHICLE', this.name);
  },
};

const DEVICE_LABEL = labelled(
  String.raw`serial(?: number| no\.?)?|s\/n|sn(?=\s*[:#])|device (?:id|identifier)|udi|imei|seriennummer|geräte-?(?:nummer|id)`,
  '[A-Z0-9(][A-Z0-9()./-]{4,60}',
);

export const deviceDetector: TextDetector = {
  name: 'pattern:device',
  category: 'DEVICE',
  catches: 'values after serial number / S/N / device id / UDI / IMEI / Seriennummer labels',
  misses: 'unlabelled serial numbers and UDIs',
  needs: hasDigit,
  find(text, _mode, out) {
    pushLabelled(DEVICE_LABEL, text, out, 'DEVICE', this.name);
  },
};
