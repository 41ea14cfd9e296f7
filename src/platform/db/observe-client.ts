/**
 * Times every statement and COPY a pooled client runs and hands the durations to a {@link PgObserver}. Installed
 * on each new client of a pool, so every query of the data plane (loads, staging, ledger, migrations, cursors)
 * is observed without each call site knowing.
 */
import type { EventEmitter } from 'node:events';
import type pg from 'pg';
import type { PgObserver, PgOutcome } from './pg-observer';
import { copyOperation, sqlOperation } from './pg-observer';

type QueryFn = (this: pg.ClientBase, config: unknown, values?: unknown, callback?: unknown) => unknown;
type Callback = (err: unknown, result?: unknown) => void;

const textOf = (config: unknown): string | undefined => {
  if (typeof config === 'string') return config;
  const text = (config as { text?: unknown } | null | undefined)?.text;
  return typeof text === 'string' ? text : undefined;
};

const isSubmittable = (config: unknown): config is EventEmitter =>
  typeof (config as { submit?: unknown } | null | undefined)?.submit === 'function' &&
  typeof (config as { once?: unknown }).once === 'function';

/** Calls `done` once: ok when a COPY stream finished (in) or ended (out), error when it failed or was destroyed. */
function watchCopy(stream: EventEmitter, done: (outcome: PgOutcome) => void): void {
  let settled = false;
  const settle = (outcome: PgOutcome) => () => {
    if (settled) return;
    settled = true;
    done(outcome);
  };
  stream.once('finish', settle('ok'));
  stream.once('end', settle('ok'));
  stream.once('error', settle('error'));
  // Destroyed before finishing: an aborted load or a read stopped early.
  stream.once('close', settle('error'));
}

/** Wraps `client.query` so every statement and COPY it runs reports to `observer` as `connection`. */
export function observeClient(client: pg.ClientBase, observer: PgObserver, connection: string): void {
  const original = client.query as unknown as QueryFn;
  const query: QueryFn = function (this: pg.ClientBase, config, values, callback) {
    const started = performance.now();
    const seconds = (): number => (performance.now() - started) / 1000;
    const text = textOf(config);
    if (isSubmittable(config)) {
      const operation = copyOperation(text);
      if (operation)
        watchCopy(config, (outcome) => observer.copy({ connection, operation, seconds: seconds(), outcome }));
      return original.call(this, config, values, callback);
    }
    const operation = sqlOperation(text);
    const report = (outcome: PgOutcome): void => observer.query({ connection, operation, seconds: seconds(), outcome });
    const timed =
      (cb: Callback): Callback =>
      (err, result) => {
        report(err ? 'error' : 'ok');
        cb(err, result);
      };
    if (typeof values === 'function') return original.call(this, config, timed(values as Callback));
    if (typeof callback === 'function') return original.call(this, config, values, timed(callback as Callback));
    const result = original.call(this, config, values);
    if (result instanceof Promise)
      result.then(
        () => report('ok'),
        () => report('error'),
      );
    return result;
  };
  (client as unknown as { query: QueryFn }).query = query;
}
