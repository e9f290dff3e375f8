import { AbortableWait, dropWaiters, type Waiter } from './abortable-wait.js';

interface SlotWaiter extends Waiter {
  priority: number;
}

/**
 * Fetch slots whose number the governor changes while requests run (between 1 and `parallel_ehrs`). A slot
 * is held for one exchange only, never during a retry's backoff, so a request waiting to be retried leaves
 * its slot to the next one. Waiters are served by priority, lowest first: the transport numbers requests in
 * the order they were first sent, so a retried fetch goes back into the queue ahead of those discovered
 * after it, and the ordered pipeline behind it is not kept waiting on it longer than its backoff.
 */
export class AdaptiveLimit {
  private inFlight = 0;
  private current: number;
  /** Sorted by priority (stable: equal priorities in arrival order). */
  private readonly waiting: SlotWaiter[] = [];
  private readonly waits = new AbortableWait((signal) => dropWaiters(this.waiting, signal));

  constructor(readonly max: number) {
    this.current = max;
  }

  get limit(): number {
    return this.current;
  }

  /** Clamped to 1..max; a lower limit takes effect as running exchanges end (none is cut short). */
  setLimit(limit: number): void {
    this.current = Math.max(1, Math.min(this.max, Math.floor(limit)));
    this.drain();
  }

  /** Undefined when a slot was free (taken at once), else a promise of the slot. */
  acquire(priority: number, signal: AbortSignal): Promise<void> | undefined {
    if (this.waiting.length === 0 && this.inFlight < this.current) {
      this.inFlight++;
      return undefined;
    }
    return this.waits.wait(signal, (waiter) => this.insert({ ...waiter, priority }));
  }

  release(): void {
    this.inFlight--;
    this.drain();
  }

  private insert(waiter: SlotWaiter): void {
    // New requests carry the highest number so far: appended without a search. A retried one is placed by
    // binary search among at most a page of waiters.
    const last = this.waiting.at(-1);
    if (!last || last.priority <= waiter.priority) {
      this.waiting.push(waiter);
      return;
    }
    let lo = 0;
    let hi = this.waiting.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (this.waiting[mid]!.priority <= waiter.priority) lo = mid + 1;
      else hi = mid;
    }
    this.waiting.splice(lo, 0, waiter);
  }

  private drain(): void {
    while (this.inFlight < this.current && this.waiting.length > 0) {
      this.inFlight++;
      this.waiting.shift()!.grant();
    }
  }
}
