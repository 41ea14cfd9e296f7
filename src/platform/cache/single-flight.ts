/**
 * Single flight per key: while a load for a key is in progress, other callers wait for it instead of loading the
 * same thing again. Per process; across workers, L2 plays that part once the first load has stored its value.
 */

/** Keys claimed together by one batch load: one promise for all of them, made per key only for a joiner. */
interface BatchFlight<T> {
  readonly results: Map<string, T>;
  readonly done: Promise<void>;
}

type Flight<T> = Promise<T> | BatchFlight<T>;

export class SingleFlight<T> {
  private readonly flights = new Map<string, Flight<T>>();

  /** The load in progress for `key`, if any. */
  current(key: string): Promise<T> | undefined {
    const flight = this.flights.get(key);
    if (flight === undefined || flight instanceof Promise) return flight;
    return flight.done.then(() => (flight.results.has(key) ? (flight.results.get(key) as T) : (undefined as T)));
  }

  /** Joins the load in progress for `key`, or starts `load` as the one. */
  run(key: string, load: () => Promise<T>): Promise<T> {
    const running = this.current(key);
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
   * Claims `keys` for one batch load: others asking for any of them wait for the batch. `settle` records a key's
   * value; `finish` ends the batch (with its error, if it failed), and joiners get what was settled.
   */
  claim(keys: readonly string[]): ClaimedBatch<T> {
    let resolve!: () => void;
    let reject!: (err: unknown) => void;
    const done = new Promise<void>((res, rej) => {
      resolve = res;
      reject = rej;
    });
    // A batch that fails rejects its joiners; nobody may be waiting, and that is not an unhandled rejection.
    done.catch(() => undefined);
    const flight: BatchFlight<T> = { results: new Map(), done };
    for (const key of keys) this.flights.set(key, flight);
    return {
      settle: (key, value) => void flight.results.set(key, value),
      finish: (error) => {
        for (const key of keys) if (this.flights.get(key) === flight) this.flights.delete(key);
        if (error !== undefined) reject(error);
        else resolve();
      },
    };
  }

  get size(): number {
    return this.flights.size;
  }
}

export interface ClaimedBatch<T> {
  settle(key: string, value: T): void;
  /** Ends the batch; call once, with the batch's error if it failed. */
  finish(error?: unknown): void;
}
