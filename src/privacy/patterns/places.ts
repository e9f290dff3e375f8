import { generalizePostalCode } from '../generalize/postal.js';
import { eachMatch, hasDigit } from './regex-util.js';
import type { TextDetector, TextHit } from './types.js';

const US_STATES =
  'AL|AK|AZ|AR|CA|CO|CT|DE|FL|GA|HI|ID|IL|IN|IA|KS|KY|LA|ME|MD|MA|MI|MN|MS|MO|MT|NE|NV|NH|NJ|NM|NY|NC|ND|OH|OK|OR|PA|RI|SC|SD|TN|TX|UT|VT|VA|WA|WV|WI|WY|DC|PR';
// Upper-case only, inward code letters as issued (no C, I, K, M, O, V).
const UK_POSTCODE =
  /(?<![\p{L}\p{N}])(?:GIR ?0AA|[A-PR-UWYZ](?:\d[A-HJKPSTUW\d]?|[A-HK-Y]\d[ABEHMNPRVWXY\d]?) ?\d[ABD-HJLNP-UW-Z]{2})(?![\p{L}\p{N}])/gu;
const CITY = String.raw`\p{Lu}[\p{Ll}-]+(?:[ -](?:am|an der|im|in der|ob der|upon|on)[ -]\p{Lu}[\p{Ll}-]+|\s\p{Lu}[\p{Ll}-]+)?`;
// "Boston, MA 02115": the city before the state is a place too.
const US_ZIP_AFTER_STATE = new RegExp(
  String.raw`(?:(?<c>${CITY}),\s+)?\b(?:${US_STATES}),?\s+(?<v>\d{5}(?:-\d{4})?)(?!\d)`,
  'gdu',
);
const ZIP_LABEL =
  /\b(?:zip(?:\s?code)?|postcode|postal code|plz|postleitzahl)\s*[:#]?\s*(?<v>\d{4,5}(?:-\d{4})?)(?!\d)/dgi;
// "D-68159 Mannheim", and "Hauptstraße 5, 68159 Mannheim": a five-digit code right after a house number
// (then the city must follow).
const DE_PLZ = new RegExp(
  String.raw`(?:\bD-(?<v>\d{5})(?!\d)(?:\s+(?<c>${CITY}))?)|(?:(?<=\d[a-z]?,\s{0,3})(?<w>\d{5})\s+(?<d>${CITY}))`,
  'gdu',
);

function postal(out: TextHit[], start: number, end: number, code: string, detector: string): void {
  out.push({ start, end, category: 'LOCATION', detector, generalize: () => generalizePostalCode(code) });
}

export const postalCodeDetector: TextDetector = {
  name: 'pattern:postal-code',
  category: 'LOCATION',
  catches:
    'UK postcodes (SW1A 1AA, upper case); US ZIP and ZIP+4 after a state abbreviation (Boston, MA 02115, with the city); codes after ZIP/postcode/PLZ labels; German PLZ after "D-" or after a house number and comma (with the city that follows)',
  misses:
    'bare five-digit numbers (indistinguishable from other numbers), postcodes of other countries without a label, lower-case UK postcodes',
  needs: hasDigit,
  find(text, _mode, out) {
    eachMatch(UK_POSTCODE, text, (start, end, m) => postal(out, start, end, m[0], this.name));
    eachMatch(ZIP_LABEL, text, (start, end, m) => postal(out, start, end, m.groups!.v!, this.name));
    for (const re of [US_ZIP_AFTER_STATE, DE_PLZ]) {
      eachMatch(re, text, (_s, _e, m) => {
        const groups = m.indices!.groups!;
        const code = groups.v ?? groups.w!;
        postal(out, code[0], code[1], text.slice(code[0], code[1]), this.name);
        const city = groups.c ?? groups.d;
        if (city) out.push({ start: city[0], end: city[1], category: 'LOCATION', detector: this.name });
      });
    }
  },
};

const NAME_WORD = String.raw`\p{Lu}[\p{Ll}'’.-]+`;
const EN_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])\d{1,5}[A-Za-z]?\s+(?:${NAME_WORD}\s+){1,3}(?:Street|St\.|Avenue|Ave\.?|Road|Rd\.|Boulevard|Blvd\.?|Lane|Ln\.|Drive|Dr\.|Court|Ct\.|Way|Place|Pl\.|Terrace|Close|Crescent)(?![\p{L}])`,
  'gu',
);
const DE_STREET = new RegExp(
  String.raw`(?<![\p{L}\p{N}])(?:\p{Lu}[\p{Ll}-]*(?:straße|strasse|str\.|weg|gasse|allee|platz)|${NAME_WORD}\s+(?:Straße|Strasse|Weg|Gasse|Allee|Platz|Ring|Damm))\s+\d{1,4}\s?[a-z]?(?![\p{L}\p{N}])`,
  'gu',
);

export const streetAddressDetector: TextDetector = {
  name: 'pattern:street-address',
  category: 'LOCATION',
  catches:
    'English "12 Baker Street"-style and German "Hauptstraße 5", "Am Ring 3"-style street addresses with a house number',
  misses:
    'addresses without a house number, other languages, cities and regions named on their own (no gazetteer)',
  needs: (t) => t.hasDigit && t.hasUpper,
  find(text, _mode, out) {
    eachMatch(EN_STREET, text, (start, end) =>
      out.push({ start, end, category: 'LOCATION', detector: this.name }),
    );
    eachMatch(DE_STREET, text, (start, end) =>
      out.push({ start, end, category: 'LOCATION', detector: this.name }),
    );
  },
};
