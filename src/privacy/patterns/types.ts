import type { AnonymizationMode, Category } from '../categories.js';
import type { DateGeneralization } from '../generalize/calendar.js';

/** One identifier found inside a text: the UTF-16 range to replace. */
export interface TextHit {
  start: number;
  end: number;
  category: Category;
  detector: string;
  /** The generalised replacement (dates, ages, postal codes); undefined → redact. */
  generalize?: (how: DateGeneralization) => string | undefined;
  /** A fixed replacement whatever the strategy: the ehr_id pseudonym where the EHR's own id recurs. */
  pseudonym?: string;
}

/** Cheap facts about a text, computed once, that let most detectors skip most texts without a regex. */
export interface TextTraits {
  hasDigit: boolean;
  hasAt: boolean;
  hasUpper: boolean;
  /** Contains `://` or `www.`. */
  hasUrlHint: boolean;
}

/**
 * A pattern detector for free text. `catches` and `misses` are its honest documentation (docs/privacy.md
 * repeats them); `needs` is the cheap precondition.
 */
export interface TextDetector {
  name: string;
  category: Category;
  catches: string;
  misses: string;
  needs?: (traits: TextTraits) => boolean;
  find(text: string, mode: AnonymizationMode, out: TextHit[]): void;
}
