import { eachMatch } from './regex-util.js';
import type { TextDetector } from './types.js';

// A capitalised name word (Unicode, with O'Brien, Müller-Lüdenscheidt), optionally with particles.
const WORD = String.raw`\p{Lu}[\p{Ll}'’]+(?:-\p{Lu}[\p{Ll}'’]+)?`;
const PARTICLE = '(?:von|van|de|der|den|du|da|di|del|la|le|zu|ter|ten)';
const NAME = String.raw`${WORD}(?:\s+(?:${PARTICLE}\s+)*${WORD}){0,2}`;
const TITLES = 'Dr|Prof|Mr|Mrs|Ms|Mx|Miss|Herr|Frau|Hr|Fr|Sr|Schwester|Pfleger|Nurse|Sister|Doctor|Professor';
const TITLED = new RegExp(
  String.raw`(?<![\p{L}])(?:${TITLES})\.?(?:\s+(?:med|dent|rer\.?\s?nat|phil|habil|Dr|Prof)\.?)*\s+(?<v>${NAME})`,
  'gdu',
);
const LABELLED = new RegExp(
  String.raw`(?<![\p{L}])(?:(?:Patient(?:in)?|Name|Pat\.|Vorname|Nachname|Patientenname|Patient name|Angehörige[rn]?|Next of kin|Kontaktperson|Contact person|Arzt|Ärztin|Physician|Attending)\s*:\s*|(?:signed|seen|referred|examined|reviewed|dictated|treated) by\s+|(?:unterschrieben|untersucht|überwiesen|behandelt) von\s+|gez\.\s*)(?<v>(?:${WORD},\s*${WORD})|${NAME})`,
  'gdu',
);

export const personNameDetector: TextDetector = {
  name: 'pattern:person-name',
  category: 'NAME',
  catches:
    'capitalised names after a title (Dr. House, Prof. Dr. med. Anna Schmidt, Frau Müller, Mr O’Brien) or after a label (Patient: …, Name: …, seen by …, untersucht von …, gez. …), up to three words; the title stays, the name is replaced',
  misses:
    'names with no title or label ("John called"), lower-case names, names in other scripts; names the composition itself records (composer, participations) are found wherever they recur (detector known-value)',
  needs: (t) => t.hasUpper,
  find(text, _mode, out) {
    eachMatch(TITLED, text, (start, end) => out.push({ start, end, category: 'NAME', detector: this.name }));
    eachMatch(LABELLED, text, (start, end) =>
      out.push({ start, end, category: 'NAME', detector: this.name }),
    );
  },
};
