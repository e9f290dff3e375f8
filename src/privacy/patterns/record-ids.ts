import { ibanValid, luhnValid, vinValid } from './checksums.js';
import { labelled, pushLabelled } from './labelled.js';
import { digitsOf, eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector } from './types.js';

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
