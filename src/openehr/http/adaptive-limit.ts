interface Waiter {
  priority: number;
  grant: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
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
  private readonly waiting: Waiter[] = [];
  /**
   * Signals with our abort listener: one listener per signal, not one per waiter. Every fetch waits on the
   * run's signal, and Node walks a signal's whole listener list on each add and remove, so hundreds of
   * waiters each adding their own made every request of the run pay for all of them.
   */
  private readonly watched = new WeakSet<AbortSignal>();

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
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      if (!this.watched.has(signal)) {
        this.watched.add(signal);
        signal.addEventListener('abort', () => this.abandon(signal), { once: true });
      }
      this.insert({ priority, signal, grant: resolve, reject });
    });
  }

  /** The waiters on an aborted signal leave the queue with its reason. */
  private abandon(signal: AbortSignal): void {
    for (let i = this.waiting.length - 1; i >= 0; i--) {
      const waiter = this.waiting[i]!;
      if (waiter.signal !== signal) continue;
      this.waiting.splice(i, 1);
      waiter.reject(signal.reason);
    }
  }

  release(): void {
    this.inFlight--;
    this.drain();
  }

  private insert(waiter: Waiter): void {
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
