import { bsnValid, kvnrValid, nhsNumberValid, steuerIdValid } from './checksums.js';
import { eachLabelledValue, labelled, pushLabelled } from './labelled.js';
import { digitsOf, eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector } from './types.js';

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
