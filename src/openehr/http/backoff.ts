import type { RetryPolicy } from '../../config/types.js';

/**
 * Delay before retry number `retryIndex` (0 = the first retry): exponential from `initialDelayMs` by
 * `backoffMultiplier` (a float, applied as given, so 1.5 really grows the delay by half each time), capped at `maxDelayMs`, with "equal
 * jitter" (half fixed, half random) so parallel workers hitting the same failure do not retry in lockstep.
 * A server's Retry-After wins over the computed backoff but is still capped at `maxDelayMs`.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retryIndex: number,
  random: number,
  retryAfterMs?: number,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  const exponential = policy.initialDelayMs * policy.backoffMultiplier ** retryIndex;
  const capped = Math.min(exponential, policy.maxDelayMs);
  return Math.round(capped / 2 + (capped / 2) * random);
}
