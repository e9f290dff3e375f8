/** One request waiting for its turn, released by `grant` or dropped with its signal's reason. */
export interface Waiter {
  grant: () => void;
  reject: (reason: unknown) => void;
  signal: AbortSignal;
}

/**
 * The waiting side shared by the governor's queues (AdaptiveLimit, RateGate): a promise per waiter, and one
 * abort listener per signal rather than one per waiter. Every fetch waits on the run's signal, and Node walks
 * a signal's whole listener list on each add and remove, so hundreds of waiters each adding their own made
 * every request of the run pay for all of them.
 */
export class AbortableWait {
  private readonly watched = new WeakSet<AbortSignal>();

  /** `onAbort` removes the signal's waiters from the owner's queue (see dropWaiters). */
  constructor(private readonly onAbort: (signal: AbortSignal) => void) {}

  /** A promise settled when the owner grants the waiter `enqueue` received, or rejected on abort. */
  wait(signal: AbortSignal, enqueue: (waiter: Waiter) => void): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      if (signal.aborted) {
        reject(signal.reason);
        return;
      }
      if (!this.watched.has(signal)) {
        this.watched.add(signal);
        signal.addEventListener('abort', () => this.onAbort(signal), { once: true });
      }
      enqueue({ grant: resolve, reject, signal });
    });
  }
}

/** Removes the waiters of an aborted signal from `waiting`, rejecting each with the signal's reason. */
export function dropWaiters(waiting: Waiter[], signal: AbortSignal): void {
  for (let i = waiting.length - 1; i >= 0; i--) {
    const waiter = waiting[i]!;
    if (waiter.signal !== signal) continue;
    waiting.splice(i, 1);
    waiter.reject(signal.reason);
  }
}
