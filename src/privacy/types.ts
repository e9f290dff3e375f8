import type { FlatComposition } from '../transform/types.js';
import type { AnonymizationMode, Category } from './categories.js';

export type { AnonymizationMode, Category };

/**
 * How a finding was (or, in a dry run, would be) replaced. `generalize` falls back to `redact` for
 * categories that have no coarser form (names, identifiers, …); `pseudonym` is the ehr_id pseudonym
 * written where the EHR's own id appears inside content.
 */
export type AppliedStrategy = 'token' | 'redact' | 'generalize' | 'pseudonym';

/** One detected value. Never holds the value itself: `keyedHash` lets an auditor match equal values only. */
export interface Finding {
  /** FLAT key; `#/0/x` (a JSON pointer) is appended for values inside arrays or objects. */
  path: string;
  category: Category;
  strategy: AppliedStrategy;
  /** Which detector matched, e.g. `structure:party-name`, `pattern:email` (docs/privacy.md lists them). */
  detector: string;
  /**
   * HMAC-SHA-256(key, 'audit:' + value), first 16 bytes, hex: what the audit log records. Computed only when
   * the audit log is enabled (and not in a dry run, which writes nothing); empty otherwise.
   */
  keyedHash: string;
}

export interface AnonymizeInput {
  flat: FlatComposition;
  /** The real ehr_id (date shifting and the ehr_id pseudonym are derived from it). */
  ehrId: string;
  compositionUid: string;
  templateId: string;
}

export interface AnonymizeResult {
  /** The anonymised composition; in a dry run the input object itself, unchanged. */
  flat: FlatComposition;
  findings: Finding[];
}

export interface Anonymizer {
  readonly mode: AnonymizationMode;
  readonly dryRun: boolean;
  apply(input: AnonymizeInput): AnonymizeResult;
  /** `ehr-` + 32 hex characters, the same for the same id and key in every run. */
  pseudonymizeEhrId(ehrId: string): string;
  /**
   * A keyed fingerprint of the key (reveals nothing about it). Store it with the exported data and compare
   * on the next run with `assertSameKey`: a different key would silently start a second set of pseudonyms.
   */
  keyFingerprint(): string;
  /** Throws ConfigError (exit 2) when `stored` was made with a different key. */
  assertSameKey(stored: string): void;
}
