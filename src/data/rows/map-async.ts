/** Async iteration helpers. */

/** Applies `fn` to each item of `source`, lazily. */
export async function* mapAsync<T, U>(source: AsyncIterable<T>, fn: (item: T) => U | Promise<U>): AsyncGenerator<U> {
  for await (const item of source) yield await fn(item);
}
