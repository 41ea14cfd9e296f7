/**
 * Single flight per key: while a load for a key is in progress, other callers wait for it instead of loading the
 * same thing again. Per process; across workers, L2 plays that part once the first load has stored its value.
 */

export class SingleFlight<T> {
  private readonly flights = new Map<string, Promise<T>>();

  /** The load in progress for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    return this.flights.get(key);
  }

  /** Joins the load in progress for `key`, or starts `load` as the one. */
  run(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.flights.get(key);
    if (running) return running;
    const done = (): void => {
      if (this.flights.get(key) === started) this.flights.delete(key);
    };
    const started: Promise<T> = load().then(
      (value) => {
        done();
        return value;
      },
      (err: unknown) => {
        done();
        throw err;
      },
    );
    this.flights.set(key, started);
    return started;
  }

  /**
   * Claims `keys` for one batch load: each gets a pending promise that others join, settled by `settle` or, for
   * keys it does not settle, by `finish` (with undefined, or the batch's error).
   */
  claim(keys: readonly string[]): ClaimedBatch<T> {
    const pending = new Map<string, { resolve(v: T): void; reject(e: unknown): void; promise: Promise<T> }>();
    for (const key of keys) {
      let resolve!: (v: T) => void;
      let reject!: (e: unknown) => void;
      const promise = new Promise<T>((res, rej) => {
        resolve = res;
        reject = rej;
      });
      // A batch that fails rejects its joiners; nobody may be waiting, and that is not an unhandled rejection.
      promise.catch(() => undefined);
      pending.set(key, { resolve, reject, promise });
      this.flights.set(key, promise);
    }
    const release = (key: string): void => {
      const p = pending.get(key);
      if (p && this.flights.get(key) === p.promise) this.flights.delete(key);
    };
    return {
      settle: (key, value) => {
        pending.get(key)?.resolve(value);
        release(key);
      },
      finish: (fallback, error) => {
        for (const [key, p] of pending) {
          if (error !== undefined) p.reject(error);
          else p.resolve(fallback);
          release(key);
        }
      },
    };
  }

  get size(): number {
    return this.flights.size;
  }
}

export interface ClaimedBatch<T> {
  settle(key: string, value: T): void;
  /** Settles every key not settled yet; call once, at the end, with the batch's error if it failed. */
  finish(fallback: T, error?: unknown): void;
}
