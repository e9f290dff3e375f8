import pLimit from 'p-limit';

export interface OrderedResult<R> {
  value: R;
  /** The last result of its source page: a natural batch boundary. */
  lastOfPage: boolean;
}

/**
 * Maps pages of items through `fn` with bounded concurrency and yields the results in source order.
 * The pool keeps running ahead of the consumer (across page boundaries, so it never drains at the end of
 * a page) but holds at most about `maxAhead` items not yet consumed, which bounds memory.
 */
export async function* mapOrdered<T, R>(
  source: AsyncIterable<T[]>,
  fn: (item: T) => Promise<R>,
  opts: { concurrency: number; maxAhead: number },
): AsyncGenerator<OrderedResult<R>> {
  const limit = pLimit(opts.concurrency);
  const queue: Array<{ promise: Promise<R>; last: boolean }> = [];
  const it = source[Symbol.asyncIterator]();
  let exhausted = false;
  try {
    for (;;) {
      while (!exhausted && queue.length < opts.maxAhead) {
        const next = await it.next();
        if (next.done) {
          exhausted = true;
          break;
        }
        const page = next.value;
        page.forEach((item, i) => {
          const promise = limit(fn, item);
          // Results are awaited in order below; this only keeps a rejection seen later from being "unhandled".
          promise.catch(() => undefined);
          queue.push({ promise, last: i === page.length - 1 });
        });
      }
      const head = queue.shift();
      if (!head) return;
      yield { value: await head.promise, lastOfPage: head.last };
    }
  } finally {
    limit.clearQueue();
    await it.return?.();
  }
}
