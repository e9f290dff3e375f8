/**
 * Runs `start(item, handOff)` for each item in order, at most two at once: an item starts when the one before
 * it has called `handOff` (or ended) and the one before that has ended. The export hands over when a
 * template fetches no more compositions, so the next template's start (lock, cursor, count, first pages)
 * overlaps the previous one's tail (last write, reconcile, watermark close) instead of waiting behind it.
 *
 * `shouldStop` is asked before each start; once it says yes, or once an item rejected, nothing more starts.
 * Every started item is awaited; the first rejection is rethrown after that.
 */
export async function runHandedOff<T>(
  items: readonly T[],
  start: (item: T, handOff: () => void) => Promise<void>,
  shouldStop: () => boolean,
): Promise<void> {
  const started: Array<Promise<void>> = [];
  let failed = false;
  let previous: { ended: Promise<unknown>; handedOff: Promise<void> } | undefined;
  let beforePrevious: Promise<unknown> | undefined;
  for (const item of items) {
    if (previous) await Promise.race([previous.handedOff, previous.ended]);
    if (beforePrevious) await beforePrevious;
    if (failed || shouldStop()) break;
    let handOff: () => void = () => undefined;
    const handedOff = new Promise<void>((resolve) => {
      handOff = resolve;
    });
    const task = start(item, handOff);
    started.push(task);
    // Waiting on a task must not throw here: its failure is reported once all started tasks ended.
    const ended = task.catch(() => {
      failed = true;
    });
    beforePrevious = previous?.ended;
    previous = { ended, handedOff };
  }
  const results = await Promise.allSettled(started);
  const rejected = results.find((r): r is PromiseRejectedResult => r.status === 'rejected');
  if (rejected) throw rejected.reason;
}
