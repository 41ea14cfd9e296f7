/**
 * An eager, byte-bounded read-ahead: a pump pulls items from `source` into a queue while the queue holds fewer
 * than `maxBytes`, independently of when the consumer asks. While the consumer waits on I/O (a COPY draining, a
 * batch committing), the producer keeps working; memory stays bounded by `maxBytes` (plus one item).
 */

/** Something with a size, in bytes of memory it holds. */
export interface Sized {
  readonly bytes: number;
}

/**
 * Yields `source`'s items in order. An error from `source` is thrown to the consumer when it reaches that point
 * in the queue. When the consumer stops early, the pump stops and `source` is closed.
 */
export async function* readAhead<T extends Sized>(source: AsyncIterable<T>, maxBytes: number): AsyncGenerator<T> {
  const it = source[Symbol.asyncIterator]();
  const queue: T[] = [];
  let queued = 0;
  let ended = false;
  let failure: { error: unknown } | undefined;
  let stopped = false;
  // Wakes whichever side is waiting: the consumer for an item, the pump for room.
  let wakeConsumer: (() => void) | undefined;
  let wakePump: (() => void) | undefined;
  const notify = (which: 'consumer' | 'pump'): void => {
    const wake = which === 'consumer' ? wakeConsumer : wakePump;
    if (which === 'consumer') wakeConsumer = undefined;
    else wakePump = undefined;
    wake?.();
  };

  const pump = (async () => {
    try {
      while (!stopped) {
        if (queued >= maxBytes) {
          await new Promise<void>((resolve) => (wakePump = resolve));
          continue;
        }
        const r = await it.next();
        if (r.done) break;
        queue.push(r.value);
        queued += r.value.bytes;
        notify('consumer');
      }
    } catch (error) {
      failure = { error };
    } finally {
      ended = true;
      notify('consumer');
    }
  })();

  try {
    for (;;) {
      const item = queue.shift();
      if (item !== undefined) {
        queued -= item.bytes;
        notify('pump');
        yield item;
        continue;
      }
      if (ended) {
        if (failure) throw failure.error;
        return;
      }
      await new Promise<void>((resolve) => (wakeConsumer = resolve));
    }
  } finally {
    stopped = true;
    notify('pump');
    await pump;
    // The pump may have stopped before the source ended: close it (a file handle, a cursor). Closing a source
    // that already ended or failed does nothing.
    if (!failure) await it.return?.();
  }
}
