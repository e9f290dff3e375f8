import type { AnonymizationMode } from '../categories.js';
import { TEXT_DETECTORS } from '../patterns/registry.js';
import type { TextHit, TextTraits } from '../patterns/types.js';

const DIGIT = /\d/;
const UPPER = /\p{Lu}/u;
const URL_HINT = /:\/\/|www\./i;

function traitsOf(text: string): TextTraits {
  return {
    hasDigit: DIGIT.test(text),
    hasAt: text.includes('@'),
    hasUpper: UPPER.test(text),
    hasUrlHint: URL_HINT.test(text),
  };
}

/** All pattern hits in a text, in detector priority order (overlaps not yet resolved). */
export function findPatternHits(text: string, mode: AnonymizationMode): TextHit[] {
  const hits: TextHit[] = [];
  if (text.length < 2) return hits;
  const traits = traitsOf(text);
  for (const detector of TEXT_DETECTORS) {
    if (detector.needs && !detector.needs(traits)) continue;
    detector.find(text, mode, hits);
  }
  return hits;
}

/**
 * Keeps non-overlapping hits: leftmost first; among hits starting together the longest; among equally long
 * ones the earliest in `hits` (the caller puts known values first, then detectors by priority).
 */
export function resolveOverlaps(hits: readonly TextHit[]): TextHit[] {
  if (hits.length <= 1) return hits.slice();
  const order = hits.map((hit, i) => ({ hit, i }));
  order.sort((a, b) => a.hit.start - b.hit.start || b.hit.end - a.hit.end || a.i - b.i);
  const kept: TextHit[] = [];
  let end = -1;
  for (const { hit } of order) {
    if (hit.start >= end && hit.end > hit.start) {
      kept.push(hit);
      end = hit.end;
    }
  }
  return kept;
}
