import { setTimeout as sleep } from 'node:timers/promises';
import pRetry from 'p-retry';
import type { RetryPolicy } from '../../config/types.js';
import type { Logger } from '../../context.js';
import { retryDelayMs } from './backoff.js';
import {
  describeNetworkError,
  errorCode,
  isRetryable,
  OpenEhrHttpError,
  TruncatedBodyError,
} from './errors.js';

export interface RetryDeps {
  policy: RetryPolicy;
  logger: Logger;
  /** Called before each retry with the failure being retried. */
  onRetry: (error: Error) => void;
  /** Injected for tests; Math.random otherwise. */
  random?: () => number;
}

/**
 * Runs `attempt` with p-retry, retrying only what `isRetryable` allows. p-retry's own delay is switched off
 * (minTimeout 0) because the wait depends on the failure: a server's Retry-After wins over the exponential
 * backoff. The wait happens in `shouldRetry`, which p-retry calls only for failures it will retry, and is
 * cut short by the abort signal.
 */
export async function withRetry<T>(
  deps: RetryDeps,
  what: string,
  signal: AbortSignal,
  attempt: (attemptNumber: number) => Promise<T>,
): Promise<T> {
  const random = deps.random ?? Math.random;
  // The first attempt runs outside p-retry: nearly every request succeeds at once, and p-retry's per-call
  // setup (options, signal listener, timers) was ~2% of the exporter's CPU at one call per composition.
  // A failure is handed to p-retry as its own first attempt, so the decision, the wait, the log line and
  // the attempt numbering are exactly what they would have been.
  let firstFailure: { error: unknown } | undefined;
  try {
    return await attempt(1);
  } catch (error) {
    firstFailure = { error };
  }
  const replayFirst = (attemptNumber: number): Promise<T> => {
    if (firstFailure) {
      const { error } = firstFailure;
      firstFailure = undefined;
      return Promise.reject(error);
    }
    return attempt(attemptNumber);
  };
  return pRetry(replayFirst, {
    retries: deps.policy.maxRetries,
    minTimeout: 0,
    factor: 1,
    signal,
    shouldRetry: async ({ error, retriesConsumed }) => {
      if (!isRetryable(error)) return false;
      const retryAfter = error instanceof OpenEhrHttpError ? error.retryAfterMs : undefined;
      const delay = retryDelayMs(deps.policy, retriesConsumed, random(), retryAfter, failedByChance(error));
      deps.logger.warn(
        {
          what,
          reason: reasonOf(error),
          retry: retriesConsumed + 1,
          of: deps.policy.maxRetries,
          delayMs: delay,
        },
        'openEHR request failed, retrying',
      );
      deps.onRetry(error);
      // Abort during the wait surfaces as the signal's reason, like an abort during a request.
      await sleep(delay, undefined, { signal }).catch(() => {
        throw signal.reason;
      });
      return true;
    },
  });
}

/** A failure that is usually one request's bad luck, not the server asking for less (see retryDelayMs). */
function failedByChance(err: Error): boolean {
  if (err instanceof OpenEhrHttpError) return err.status === 500 || err.status === 502 || err.status === 504;
  if (err instanceof TruncatedBodyError) return true;
  const code = errorCode(err);
  return code === 'ECONNRESET' || code === 'EPIPE' || code === 'UND_ERR_SOCKET' || code === 'UND_ERR_CLOSED';
}

function reasonOf(err: Error): string {
  return err instanceof OpenEhrHttpError ? `HTTP ${err.status}` : describeNetworkError(err);
}
