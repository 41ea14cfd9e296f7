/**
 * A `pg.Pool` seen through its breaker: `connect()` (checking a client out) and `query()` (a short query on a
 * client of its own) go through the breaker, so an open breaker refuses them without touching Postgres. What
 * runs on a checked-out client (a COPY of a million rows, a long `CREATE TABLE AS`) is not timed by the breaker:
 * the breaker's timeout applies to opening new connections, which the pool does with its own connect timeout.
 */
import type pg from 'pg';
import type { ResourceBreaker } from './breaker';

const RAW = Symbol('pipewright.rawPool');

type Callback<T> = (err: Error | undefined, value?: T) => void;

/** `pool` with `connect` and `query` guarded by `breaker`; everything else is the pool's own. */
export function guardPool(pool: pg.Pool, breaker: ResourceBreaker): pg.Pool {
  const raw = rawPool(pool);
  const connect = (callback?: Callback<pg.PoolClient>): Promise<pg.PoolClient> | undefined => {
    const p = breaker.call(() => raw.connect(), { timeoutMs: false });
    if (!callback) return p;
    p.then(
      (client) => callback(undefined, client),
      (err: Error) => callback(err),
    );
    return undefined;
  };
  const query = (...args: unknown[]): unknown => {
    const last = args[args.length - 1];
    if (typeof last === 'function') {
      // The callback form: let the pool call back, counting the outcome on the way.
      const callback = last as Callback<unknown>;
      breaker
        .call(() => (raw.query as (...a: unknown[]) => Promise<unknown>)(...args.slice(0, -1)), { timeoutMs: false })
        .then(
          (result) => callback(undefined, result),
          (err: Error) => callback(err),
        );
      return undefined;
    }
    return breaker.call(() => (raw.query as (...a: unknown[]) => Promise<unknown>)(...args), { timeoutMs: false });
  };
  return new Proxy(raw, {
    get(target, prop) {
      if (prop === RAW) return target;
      if (prop === 'connect') return connect;
      if (prop === 'query') return query;
      const value: unknown = Reflect.get(target, prop, target);
      return typeof value === 'function' ? (value as (...a: unknown[]) => unknown).bind(target) : value;
    },
  });
}

/** The pool behind a guarded view (or `pool` itself). */
export function rawPool(pool: pg.Pool): pg.Pool {
  return (pool as unknown as { [RAW]?: pg.Pool })[RAW] ?? pool;
}
