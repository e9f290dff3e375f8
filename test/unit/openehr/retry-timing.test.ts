import { describe, expect, it } from 'vitest';
import { retryDelayMs } from '../../../src/openehr/http/backoff.js';
import { parseRetryAfter } from '../../../src/openehr/http/retry-after.js';

const policy = { maxRetries: 5, initialDelayMs: 1000, maxDelayMs: 30_000, backoffMultiplier: 1.5 };

describe('Retry-After parsing', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');
  it('reads delta-seconds', () => {
    expect(parseRetryAfter('7', now)).toBe(7000);
    expect(parseRetryAfter(['2', '9'], now)).toBe(2000);
  });
  it('reads an HTTP date relative to now, never negative', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });
  it('ignores absent or garbage values', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter('-3', now)).toBeUndefined();
  });
});

describe('backoff', () => {
  it('grows by the float multiplier (not truncated) with equal jitter', () => {
    // random 0 → half of the exponential value, random 1 → all of it
    expect(retryDelayMs(policy, 0, 0)).toBe(500);
    expect(retryDelayMs(policy, 0, 1)).toBe(1000);
    expect(retryDelayMs(policy, 1, 1)).toBe(1500);
    expect(retryDelayMs(policy, 2, 1)).toBe(2250);
    expect(retryDelayMs(policy, 2, 0.5)).toBe(Math.round(2250 * 0.75));
  });
  it('retries a failure by chance quickly twice, then follows the schedule from initial_delay_ms', () => {
    expect(retryDelayMs(policy, 0, 1, undefined, true)).toBe(100);
    expect(retryDelayMs(policy, 0, 0, undefined, true)).toBe(50);
    expect(retryDelayMs(policy, 1, 1, undefined, true)).toBe(300);
    expect(retryDelayMs(policy, 2, 1, undefined, true)).toBe(1000);
    expect(retryDelayMs(policy, 3, 1, undefined, true)).toBe(1500);
    // Never longer than the configured first delay, and Retry-After still wins.
    expect(retryDelayMs({ ...policy, initialDelayMs: 20 }, 0, 1, undefined, true)).toBe(20);
    expect(retryDelayMs(policy, 0, 1, 3000, true)).toBe(3000);
  });
  it('caps at max_delay_ms', () => {
    expect(retryDelayMs(policy, 20, 1)).toBe(30_000);
  });
  it('lets Retry-After win over the backoff, still capped', () => {
    expect(retryDelayMs(policy, 0, 0, 4000)).toBe(4000);
    expect(retryDelayMs(policy, 3, 1, 0)).toBe(0);
    expect(retryDelayMs(policy, 0, 0, 120_000)).toBe(30_000);
  });
});
