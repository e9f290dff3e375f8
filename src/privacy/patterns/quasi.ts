import type { Category } from '../categories.js';
import { ageInYears, generalizeAge, OLDEST_EXACT_AGE } from '../generalize/age.js';
import { eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector, TextHit } from './types.js';

// Only phrases that state an age: "5 years ago" or "for 10 years" are durations and stay.
const AGE = new RegExp(
  [
    String.raw`(?<![\p{L}\p{N}])(?<v>\d{1,3})(?:\s*|-)(?:years?|yrs?)(?:\s*|-)old(?![\p{L}])`,
    String.raw`(?<![\p{L}\p{N}])(?<v>\d{1,3})(?:\s*|-)(?:y\/o|y\.o\.|yo)(?![\p{L}])`,
    String.raw`(?<![\p{L}\p{N}])(?<v>\d{1,3})(?:\s*|-)(?:jährige[rnms]?|jährig|Jahre alt|J\. alt)(?![\p{L}])`,
    String.raw`(?<![\p{L}])(?:aged?|Alter|Lebensalter|im Alter von)\s*:?\s*(?<v>\d{1,3})(?![\p{N}])`,
  ]
    .map((alternative, i) => alternative.replaceAll('<v>', `<v${i}>`))
    .join('|'),
  'gdiu',
);

export const ageDetector: TextDetector = {
  name: 'pattern:age',
  category: 'AGE',
  catches:
    'ages stated as "93 years old", "93-year-old", "93 y/o", "93-jährig", "93 Jahre alt", "aged 93", "Alter: 93"; hipaa_safe_harbor mode reports ages over 89 only, gdpr mode every age',
  misses: 'ages in words ("ninety-three"), ages implied by a birth date or by "born in 1931"',
  needs: hasDigit,
  find(text, mode, out) {
    eachMatch(AGE, text, (_s, _e, m) => {
      const index = [0, 1, 2, 3].find((i) => m.indices!.groups![`v${i}`] !== undefined)!;
      const [start, end] = m.indices!.groups![`v${index}`]!;
      const years = ageInYears(Number(text.slice(start, end)))!;
      if (mode === 'hipaa_safe_harbor' && years <= OLDEST_EXACT_AGE) return;
      out.push({ start, end, category: 'AGE', detector: this.name, generalize: () => generalizeAge(years) });
    });
  },
};

/** A detector for a quasi-identifier: listed words, and anything after a label up to the clause's end. */
function quasiDetector(
  name: string,
  category: Category,
  words: string,
  labels: string,
  catches: string,
  misses: string,
): TextDetector {
  const re = new RegExp(
    String.raw`(?<![\p{L}])(?:(?:${labels})\s*:\s*(?<v>[^\n,;.()]{1,60})|(?<w>${words}))(?![\p{L}])`,
    'gdiu',
  );
  return {
    name,
    category,
    catches,
    misses,
    find(text, mode, out: TextHit[]) {
      if (mode !== 'gdpr') return;
      eachMatch(re, text, (_s, _e, m) => {
        const range = m.indices!.groups!.v ?? m.indices!.groups!.w!;
        const value = text.slice(range[0], range[1]).trimEnd();
        if (value.length > 0)
          out.push({ start: range[0], end: range[0] + value.length, category, detector: name });
      });
    },
  };
}

export const genderDetector = quasiDetector(
  'pattern:gender',
  'GENDER',
  'male|female|women|woman|männlich|weiblich|transgender|trans woman|trans man|non-binary|nonbinary|intersex',
  'gender|sex|geschlecht',
  'gender words (male, female, woman, männlich, weiblich, non-binary, …) and values after gender/sex/Geschlecht labels (gdpr mode)',
  'gender implied by pronouns, titles (Mrs, Herr) or names; "man" and "Mann" (too ambiguous)',
);

export const maritalStatusDetector = quasiDetector(
  'pattern:marital-status',
  'MARITAL_STATUS',
  'married|divorced|widowed|widower|widow|unmarried|verheiratet|geschieden|verwitwet|ledig|civil partnership|eingetragene Lebenspartnerschaft',
  'marital status|familienstand|civil status',
  'marital status words (married, divorced, widowed, verheiratet, geschieden, …) and values after marital status/Familienstand labels (gdpr mode)',
  '"single" and "separated" (too ambiguous in clinical text) unless labelled',
);

export const ethnicityDetector = quasiDetector(
  'pattern:ethnicity',
  'ETHNICITY',
  'caucasian|hispanic|latino|latina|latinx|african[- ]american|afro-american|asian[- ]american|pacific islander|native american|aboriginal|alaska native',
  'ethnicity|ethnic origin|ethnic background|race|ethnische herkunft|ethnie',
  'ethnicity words (Caucasian, Hispanic, African American, …) and values after ethnicity/race labels (gdpr mode)',
  'nationalities and languages, which can also reveal origin; terms outside the list',
);

export const occupationDetector = quasiDetector(
  'pattern:occupation',
  'OCCUPATION',
  String.raw`(?<=(?:works|working|employed|worked) as an? |arbeitet als |tätig als |von Beruf )[\p{L}-]+`,
  'occupation|profession|job|job title|employer|beruf|berufsbezeichnung|arbeitgeber|tätigkeit',
  'values after occupation/profession/job/employer/Beruf/Arbeitgeber labels and phrases like "works as a teacher", "arbeitet als Lehrerin" (gdpr mode)',
  'occupations mentioned without such a phrase ("the patient, a teacher, …")',
);

export const educationDetector = quasiDetector(
  'pattern:education',
  'EDUCATION',
  `high school diploma|bachelor'?s degree|master'?s degree|doctorate|phd|abitur|hauptschulabschluss|realschulabschluss|hochschulabschluss|mittlere reife`,
  'education|highest education|degree|schulabschluss|bildungsabschluss|ausbildung',
  'degrees and school-leaving qualifications (high school diploma, PhD, Abitur, …) and values after education/degree/Schulabschluss labels (gdpr mode)',
  'education described in other words',
);
