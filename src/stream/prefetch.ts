/**
 * Async iteration helpers that keep a producer a bounded distance ahead of its consumer.
 */

/**
 * Yields `source`'s items while keeping up to `depth` of them requested ahead, so the producer (e.g. the
 * CSV parser) works while the consumer waits on I/O (e.g. a COPY draining or committing). Memory stays
 * bounded by `depth` items.
 */
export async function* prefetch<T>(source: AsyncIterable<T>, depth: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const queue: Promise<IteratorResult<T>>[] = [];
  let finished = false;
  try {
    for (;;) {
      while (!finished && queue.length < depth) {
        const next = it.next();
        // Requests made ahead may fail before they are awaited; the failure surfaces when awaited.
        next.catch(() => undefined);
        queue.push(next);
      }
      const head = queue.shift();
      if (head === undefined) return;
      const r = await head;
      if (r.done) {
        finished = true;
        return;
      }
      yield r.value;
    }
  } finally {
    if (!finished) await it.return?.();
  }
}

/** Applies `fn` to each item of `source`, lazily. */
export async function* mapAsync<T, U>(source: AsyncIterable<T>, fn: (item: T) => U | Promise<U>): AsyncGenerator<U> {
  for await (const item of source) yield await fn(item);
}
