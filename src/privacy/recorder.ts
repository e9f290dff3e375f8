import type { AnonymizationConfig } from '../config/types.js';
import type { Category } from './categories.js';
import { replacementFor } from './replace.js';
import type { Tokenizer } from './tokens.js';
import type { Finding } from './types.js';

/**
 * Replaces one value per the strategy and records the finding (never the value, only its keyed hash).
 * One per composition.
 */
export interface Recorder {
  readonly findings: Finding[];
  replace(path: string, category: Category, detector: string, original: string, generalized?: string): string;
  /** The ehr_id pseudonym written where the EHR's own id recurs, whatever the strategy. */
  pseudonym(path: string, category: Category, detector: string, original: string, pseudonym: string): string;
}

export interface RecorderEnv {
  strategy: AnonymizationConfig['strategy'];
  tokenize: Tokenizer;
  auditHash: (value: string) => string;
}

export function createRecorder(env: RecorderEnv): Recorder {
  const findings: Finding[] = [];
  return {
    findings,
    replace(path, category, detector, original, generalized) {
      const r = replacementFor(env.strategy, env.tokenize, category, original, generalized);
      findings.push({ path, category, strategy: r.strategy, detector, keyedHash: env.auditHash(original) });
      return r.text;
    },
    pseudonym(path, category, detector, original, pseudonym) {
      findings.push({ path, category, strategy: 'pseudonym', detector, keyedHash: env.auditHash(original) });
      return pseudonym;
    },
  };
}
