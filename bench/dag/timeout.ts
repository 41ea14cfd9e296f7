/** Bounds a wait in time, so a stuck server or worker ends the bench with a message instead of hanging it. */

/** Thrown when a bench step takes longer than its bound. */
export class BenchTimeoutError extends Error {
  constructor(
    readonly what: string,
    readonly ms: number,
  ) {
    super(`${what} did not finish within ${ms} ms`);
    this.name = 'BenchTimeoutError';
  }
}

/** Resolves or rejects like `promise`, or rejects with {@link BenchTimeoutError} after `ms`. */
export async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new BenchTimeoutError(what, ms)), ms);
  });
  try {
    return await Promise.race([promise, expired]);
  } finally {
    clearTimeout(timer);
  }
}
