import type { RetryPolicy } from '../../config/types.js';

/** The longest first wait after a failure that is usually by chance (see retryDelayMs); the second is 3×. */
export const QUICK_RETRY_MS = 100;
/** Retries of a chance failure that come quickly before the configured schedule takes over. */
const QUICK_RETRIES = 2;

/**
 * Delay before retry number `retryIndex` (0 = the first retry): exponential from `initialDelayMs` by
 * `backoffMultiplier` (a float, applied as given, so 1.5 really grows the delay by half each time), capped at
 * `maxDelayMs`, with "equal jitter" (half fixed, half random) so parallel workers hitting the same failure do
 * not retry in lockstep. A server's Retry-After wins over the computed backoff but is still capped at
 * `maxDelayMs`.
 *
 * `byChance`: a 500, 502 or 504, a reset or a cut body, without Retry-After. Such a failure is nearly always
 * one request's bad luck (a node restarting behind a balancer, a dropped keep-alive), and waiting a full
 * second for it stalls the page it belongs to: the first two retries come after at most QUICK_RETRY_MS and
 * 3 × QUICK_RETRY_MS (never longer than `initialDelayMs`), then the configured schedule follows from
 * `initialDelayMs`. With one quick retry, the few compositions that failed twice by chance still waited
 * a second each and held the fault mix's chance failures at 0.7× the clean rate; with two, at the clean
 * rate. A server that is really failing meets two extra requests per fetch in flight (the governor bounds
 * those), and one that says it is overloaded (429, 503) always gets its full backoff or Retry-After.
 */
export function retryDelayMs(
  policy: RetryPolicy,
  retryIndex: number,
  random: number,
  retryAfterMs?: number,
  byChance = false,
): number {
  if (retryAfterMs !== undefined) return Math.min(retryAfterMs, policy.maxDelayMs);
  if (byChance && retryIndex < QUICK_RETRIES) {
    return jittered(Math.min(QUICK_RETRY_MS * 3 ** retryIndex, policy.initialDelayMs), random);
  }
  const step = byChance ? retryIndex - QUICK_RETRIES : retryIndex;
  const exponential = policy.initialDelayMs * policy.backoffMultiplier ** step;
  return jittered(Math.min(exponential, policy.maxDelayMs), random);
}

function jittered(ms: number, random: number): number {
  return Math.round(ms / 2 + (ms / 2) * random);
}
