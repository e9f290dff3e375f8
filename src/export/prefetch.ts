/**
 * Reads one element ahead of the consumer: while the consumer works on page N, the request for page N+1
 * is already in flight (discovery AQL and the stored-version lookup overlap with fetching).
 */
export async function* prefetchOne<T>(source: AsyncIterable<T>): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  let pending: Promise<IteratorResult<T>> | undefined = it.next();
  try {
    for (;;) {
      const current: IteratorResult<T> = await pending!;
      if (current.done) {
        pending = undefined;
        return;
      }
      pending = it.next();
      // A rejection of the read-ahead is surfaced when it is awaited on the next turn.
      pending.catch(() => undefined);
      yield current.value;
    }
  } finally {
    if (pending) {
      // Let the read-ahead settle before closing the source, so its finally blocks run in order.
      await pending.catch(() => undefined);
      await it.return?.();
    }
  }
}

/** Maps each element of an async iterable through an async function (sequentially). */
export async function* mapAsync<T, R>(source: AsyncIterable<T>, fn: (t: T) => Promise<R>): AsyncGenerator<R> {
  for await (const t of source) yield await fn(t);
}
