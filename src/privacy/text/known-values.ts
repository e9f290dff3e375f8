import type { Category } from '../categories.js';
import type { TextHit } from '../patterns/types.js';

/**
 * Values the composition itself marks as identifying (its composer's name, a participant's id, the EHR's
 * own id) are looked for wherever they recur in its free text, whole words only: "Befund an Dr. House
 * übermittelt" loses the name even though no pattern could know it is one.
 */
export interface KnownValue {
  text: string;
  category: Category;
  detector: string;
  pseudonym?: string;
}

const TITLE_WORDS = new Set(['dr', 'prof', 'mr', 'mrs', 'ms', 'mx', 'miss', 'herr', 'frau', 'med', 'dent']);
const NAME_PART = /\p{Lu}[\p{Ll}'’-]{2,}/gu;

/** A structural NAME value and its capitalised parts (titles excluded), longest first. */
export function knownNameValues(name: string): KnownValue[] {
  const values = new Set<string>();
  const whole = name.trim();
  if (whole.length >= 3) values.add(whole);
  for (const part of whole.match(NAME_PART) ?? []) {
    if (!TITLE_WORDS.has(part.toLowerCase())) values.add(part);
  }
  return [...values].map((text) => ({ text, category: 'NAME', detector: 'known-value:name' }));
}

/** A structural identifier is searched for only when it is distinctive (5+ characters with a digit). */
export function knownIdentifierValue(id: string, category: Category): KnownValue | undefined {
  const text = id.trim();
  return text.length >= 5 && /\d/.test(text)
    ? { text, category, detector: 'known-value:identifier' }
    : undefined;
}

const WORD_CHAR = /[\p{L}\p{N}]/u;

function isBoundary(text: string, index: number): boolean {
  return index < 0 || index >= text.length || !WORD_CHAR.test(text[index]!);
}

export function findKnownValues(text: string, known: readonly KnownValue[], out: TextHit[]): void {
  for (const value of known) {
    for (let at = text.indexOf(value.text); at >= 0; at = text.indexOf(value.text, at + 1)) {
      const end = at + value.text.length;
      if (isBoundary(text, at - 1) && isBoundary(text, end)) {
        const hit: TextHit = { start: at, end, category: value.category, detector: value.detector };
        if (value.pseudonym !== undefined) hit.pseudonym = value.pseudonym;
        out.push(hit);
      }
    }
  }
}
