import type { RetryPolicy } from '../../config/types.js';

/** The longest first wait after a failure that is usually by chance (see retryDelayMs). */
export const QUICK_RETRY_MS = 100;

/**
 * Delay before retry number `retryIndex` (0 = the first retry): exponential from `initialDelayMs` by
 * `backoffMultiplier` (a float, applied as given, so 1.5 really grows the delay by half each time), capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so parallel workers hitting the same failure do
 * not retry in lockstep. A server's Retry-After wins over the computed backoff but is still capped at
 * `maxDelayMs`.
 *
 * `byChance`: a 500, 502 or 504, a reset or a cut body, without Retry-After. Such a failure is nearly always
 * one request's bad luck (a node restarting behind a balancer, a dropped keep-alive), and waiting a full
 * second for it stalls the page it belongs to: the first retry comes after at most QUICK_RETRY_MS, then the
 * configured schedule follows from `initialDelayMs`. A server that is really failing meets one extra request
 * per fetch in flight (the governor bounds those), and one that says it is overloaded (429, 503) always gets
 * its full backoff or Retry-After.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retryIndex: number,
  random: number,
  retryAfterMs?: number,
  byChance = false,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  if (byChance && retryIndex === 0) return jittered(Math.min(QUICK_RETRY_MS, policy.initialDelayMs), random);
  const step = byChance ? retryIndex - 1 : retryIndex;
  const exponential = policy.initialDelayMs * policy.backoffMultiplier ** step;
  return jittered(Math.min(exponential, policy.maxDelayMs), random);
}

function jittered(ms: number, random: number): number {
  return Math.round(ms / 2 + (ms / 2) * random);
}
