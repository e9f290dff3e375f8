import type { AnonymizationConfig } from '../config/types.js';
import type { Category } from './categories.js';
import type { Tokenizer } from './tokens.js';
import type { AppliedStrategy } from './types.js';

export interface Replacement {
  text: string;
  strategy: AppliedStrategy;
}

/**
 * The configured strategy applied to one value: `token` → keyed token; `redact` → `[REDACTED_<CATEGORY>]`;
 * `generalize` → the coarser form when the category has one (dates, ages, postal codes), otherwise a
 * redaction (a name or an id has no safe coarser form).
 */
export function replacementFor(
  strategy: AnonymizationConfig['strategy'],
  tokenize: Tokenizer,
  category: Category,
  original: string,
  generalized: string | undefined,
): Replacement {
  if (strategy === 'token') return { text: tokenize(category, original), strategy: 'token' };
  if (strategy === 'generalize' && generalized !== undefined)
    return { text: generalized, strategy: 'generalize' };
  return { text: `[REDACTED_${category}]`, strategy: 'redact' };
}
