import { setTimeout as sleep } from 'node:timers/promises';
import { AbortableWait, dropWaiters, type Waiter } from './abortable-wait.js';

/**
 * Admission of every request of one client, in arrival order: the token bucket of
 * `openehr.query.max_requests_per_second`, and a pause (a server's Retry-After) that holds back the whole
 * client, not only the request that was told to wait.
 *
 * The bucket holds one token (no burst): a request is let go no sooner than 1/rate after the one before,
 * measured when it is let go, so no second ever sees more than `rate` requests leave. A bucket holding a
 * second's worth would allow twice the rate in the second after an idle one, which is what a CDR guarding
 * its connection pool must not get.
 */
export class RateGate {
  private lastGrant = Number.NEGATIVE_INFINITY;
  private pausedUntil = 0;
  private readonly waiting: Waiter[] = [];
  private readonly waits = new AbortableWait((signal) => this.abandon(signal));
  private pumping = false;
  /** Wakes the pump early when its last waiter left (an abort), so no timer outlives the run. */
  private wake: AbortController | undefined;

  /** `intervalMs` = 1000 / rate; 0 = no rate limit (only pauses hold requests back). */
  constructor(
    private readonly intervalMs: number,
    private readonly now: () => number = () => performance.now(),
  ) {}

  /** Undefined when the request may go at once (the common case costs no promise), else when it may go. */
  admit(signal: AbortSignal): Promise<void> | undefined {
    if (this.waiting.length === 0 && this.waitMs(this.now()) <= 0) {
      this.lastGrant = this.now();
      return undefined;
    }
    return this.waits.wait(signal, (waiter) => {
      this.waiting.push(waiter);
      void this.pump();
    });
  }

  /** The waiters on an aborted signal leave the queue with its reason; an empty queue stops the pump. */
  private abandon(signal: AbortSignal): void {
    dropWaiters(this.waiting, signal);
    if (this.waiting.length === 0) this.wake?.abort();
  }

  /** Holds every request back until `ms` from now (extends, never shortens, a pause already running). */
  pauseFor(ms: number): number {
    const t = this.now();
    const before = Math.max(this.pausedUntil, t);
    this.pausedUntil = Math.max(this.pausedUntil, t + ms);
    return this.pausedUntil - before;
  }

  isPaused(): boolean {
    return this.pausedUntil > this.now();
  }

  private waitMs(t: number): number {
    return Math.max(this.pausedUntil - t, this.lastGrant + this.intervalMs - t);
  }

  private async pump(): Promise<void> {
    if (this.pumping) return;
    this.pumping = true;
    try {
      while (this.waiting.length > 0) {
        const wait = this.waitMs(this.now());
        if (wait > 0) {
          // Re-checked after the wait: a pause may have begun or grown meanwhile.
          this.wake = new AbortController();
          await sleep(Math.ceil(wait), undefined, { signal: this.wake.signal }).catch(() => undefined);
          continue;
        }
        const head = this.waiting.shift()!;
        this.lastGrant = this.now();
        head.grant();
      }
    } finally {
      this.pumping = false;
      this.wake = undefined;
    }
  }
}
