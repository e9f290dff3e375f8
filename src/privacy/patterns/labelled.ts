import type { Category } from '../categories.js';
import { eachMatch } from './regex-util.js';
import type { TextHit } from './types.js';

/** A labelled value: `<label> [no./number/#] [:] <value>`; the value must contain a digit. */
export function labelled(labels: string, value: string): RegExp {
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

export function pushLabelled(
  re: RegExp,
  text: string,
  out: TextHit[],
  category: Category,
  detector: string,
): void {
  eachLabelledValue(re, text, (start, end) => out.push({ start, end, category, detector }));
}
