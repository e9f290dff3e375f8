import type { DateGeneralization } from '../generalize/calendar.js';
import type { TextHit } from '../patterns/types.js';
import type { Recorder } from '../recorder.js';
import { resolveOverlaps } from './scan-text.js';

/** The text with every kept hit replaced (substrings only; the text around them is untouched). */
export function replaceInText(
  text: string,
  path: string,
  candidates: readonly TextHit[],
  recorder: Recorder,
  how: DateGeneralization,
): string {
  if (candidates.length === 0) return text;
  let out = '';
  let at = 0;
  for (const hit of resolveOverlaps(candidates)) {
    const original = text.slice(hit.start, hit.end);
    out += text.slice(at, hit.start);
    out +=
      hit.pseudonym !== undefined
        ? recorder.pseudonym(path, hit.category, hit.detector, original, hit.pseudonym)
        : recorder.replace(path, hit.category, hit.detector, original, hit.generalize?.(how));
    at = hit.end;
  }
  return out + text.slice(at);
}
