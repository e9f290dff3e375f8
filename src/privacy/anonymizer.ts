import type { AnonymizationConfig } from '../config/types.js';
import { type AnonymizerEnv, anonymizeComposition } from './apply.js';
import { dateOffsetDays } from './generalize/date-offset.js';
import { assertSameKey, createKeyedHasher, keyFingerprint } from './keyed-hash.js';
import { cachedIn } from './memo.js';
import type { TextHit } from './patterns/types.js';
import { classifyKey } from './structure/classify-key.js';
import { createPlanCache } from './structure/plan-cache.js';
import { findPatternHits } from './text/scan-text.js';
import { createAuditHasher, createEhrIdPseudonymizer, createTokenizer } from './tokens.js';
import type { Anonymizer } from './types.js';

const MAX_CACHED_KEYS = 100_000;
const MAX_CACHED_TEXTS = 50_000;
/** Longer texts are rarely repeated verbatim; caching them would only cost memory. */
const MAX_CACHED_TEXT_LENGTH = 256;

/**
 * The anonymiser for one run. Throws ConfigError (exit 2) without a usable key: every strategy needs it
 * (tokens, date offsets, the ehr_id pseudonym, audit hashes). Its caches (plans per FLAT key, pattern hits
 * per short text, tokens) live in this object, never at module level.
 */
export function createAnonymizer(cfg: AnonymizationConfig): Anonymizer {
  const hasher = createKeyedHasher(cfg.key);
  const texts = new Map<string, readonly TextHit[]>();
  const offsets = new Map<string, number>();
  const env: AnonymizerEnv = {
    mode: cfg.mode,
    strategy: cfg.strategy,
    dryRun: cfg.dryRun,
    pseudonymizeEhrId: cfg.pseudonymizeEhrId,
    dateShift: cfg.dateShift,
    tokenize: createTokenizer(hasher),
    // Only the audit log reads keyed hashes; an HMAC per finding is too dear to compute for nothing.
    auditHash: cfg.audit.enabled && !cfg.dryRun ? createAuditHasher(hasher) : () => '',
    pseudonymize: createEhrIdPseudonymizer(hasher),
    shiftDaysOf: (ehrId) => cachedIn(offsets, ehrId, MAX_CACHED_KEYS, () => dateOffsetDays(hasher, ehrId)),
    planFor: createPlanCache((key) => classifyKey(key, cfg.mode)),
    patternHitsOf: (text) =>
      text.length > MAX_CACHED_TEXT_LENGTH
        ? findPatternHits(text, cfg.mode)
        : cachedIn(texts, text, MAX_CACHED_TEXTS, () => findPatternHits(text, cfg.mode)),
  };
  return {
    mode: cfg.mode,
    dryRun: cfg.dryRun,
    apply: (input) => anonymizeComposition(env, input),
    pseudonymizeEhrId: env.pseudonymize,
    keyFingerprint: () => keyFingerprint(hasher),
    assertSameKey: (stored) => assertSameKey(hasher, stored),
  };
}
