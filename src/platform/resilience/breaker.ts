/**
 * One circuit breaker (opossum) in front of one external resource. Calls go through `call`: while the breaker is
 * closed they run and their outcome is counted (only errors that say the resource is unhealthy count as
 * failures); while it is open they are refused at once with a `CircuitOpenError` that says how long until the
 * breaker lets a single trial call through (half-open). The trial's success closes it, its failure opens it again.
 */
import CircuitBreaker from 'opossum';
import { isResourceFailure } from './classify';
import { BreakerTimeoutError, CircuitOpenError } from './errors';
import type { BreakerSettings } from '../../model/breaker-settings';

export const BreakerState = { closed: 'closed', halfOpen: 'halfOpen', open: 'open' } as const;
export type BreakerState = (typeof BreakerState)[keyof typeof BreakerState];

/** The value of `pipewright_breaker_state`. */
export const BREAKER_STATE_VALUE: Readonly<Record<BreakerState, number>> = { closed: 0, halfOpen: 1, open: 2 };

/** What happens to a breaker; state changes and, per call, its outcome. */
export type BreakerEvent =
  'open' | 'halfOpen' | 'close' | 'peerOpen' | 'peerClose' | 'success' | 'failure' | 'timeout' | 'reject';

export interface CallOptions {
  /**
   * This call's timeout instead of the breaker's; `false` for none (acquiring a pooled connection may wait for a
   * free one, which says nothing about the server: the new connections themselves are timed by the pool).
   */
  readonly timeoutMs?: number | false;
}

/** A call through a breaker: gets a signal that is aborted when the call times out. */
export type BreakerCall<T> = (signal: AbortSignal) => Promise<T>;

type Invoke = (fn: BreakerCall<unknown>, timeoutMs: number | false) => Promise<unknown>;

export class ResourceBreaker {
  private readonly breaker: CircuitBreaker<Parameters<Invoke>, unknown>;
  private openedAt = 0;
  private forcingByPeer = false;
  private closingByPeer = false;
  private byPeer = false;
  /** The last error counted as a failure (for the log line when the breaker opens). */
  lastFailure: unknown;

  constructor(
    /** The resource, e.g. `postgres://127.0.0.1:5432/postgres`; shared by every breaker of that resource. */
    readonly resource: string,
    /** Unique in the registry: the resource, plus the node's overrides when a node set its own. */
    readonly name: string,
    readonly settings: BreakerSettings,
    private readonly onEvent: (breaker: ResourceBreaker, event: BreakerEvent, error?: unknown) => void,
  ) {
    const invoke: Invoke = (fn, timeoutMs) => this.withTimeout(fn, timeoutMs);
    this.breaker = new CircuitBreaker(invoke, {
      name,
      // Timeouts are per call (see withTimeout): opossum's own would apply to every call alike.
      timeout: false,
      errorThresholdPercentage: settings.errorThresholdPercentage,
      volumeThreshold: settings.volumeThreshold,
      resetTimeout: settings.resetTimeoutMs,
      rollingCountTimeout: settings.rollingWindowMs,
      rollingCountBuckets: 10,
      rollingPercentilesEnabled: false,
      enableSnapshots: false,
      // Errors that say the resource answered (a constraint violation, an HTTP 404) are not its failures.
      errorFilter: (err: unknown) => !isResourceFailure(err),
    });
    this.breaker.on('open', () => {
      this.openedAt = Date.now();
      this.byPeer = this.forcingByPeer;
      this.onEvent(this, this.byPeer ? 'peerOpen' : 'open', this.lastFailure);
    });
    this.breaker.on('halfOpen', () => this.onEvent(this, 'halfOpen'));
    this.breaker.on('close', () => {
      this.byPeer = false;
      this.onEvent(this, this.closingByPeer ? 'peerClose' : 'close');
    });
    this.breaker.on('success', () => this.onEvent(this, 'success'));
    this.breaker.on('failure', (err: unknown) => {
      this.lastFailure = err;
      this.onEvent(this, err instanceof BreakerTimeoutError ? 'timeout' : 'failure', err);
    });
    this.breaker.on('reject', () => this.onEvent(this, 'reject'));
  }

  state(): BreakerState {
    if (this.breaker.opened) return 'open';
    return this.breaker.halfOpen ? 'halfOpen' : 'closed';
  }

  /**
   * Whether the breaker is open (or half-open since) because another worker (or another breaker of the resource)
   * said so, rather than because its own calls failed.
   */
  get openedByPeer(): boolean {
    return this.byPeer && !this.breaker.closed;
  }

  /** Milliseconds until an open breaker turns half-open; 0 when it is not open. */
  retryAfterMs(now = Date.now()): number {
    return this.breaker.opened ? Math.max(0, this.openedAt + this.settings.resetTimeoutMs - now) : 0;
  }

  /** Runs `fn` through the breaker, or refuses it with a `CircuitOpenError` without running it. */
  async call<T>(fn: BreakerCall<T>, options: CallOptions = {}): Promise<T> {
    const timeoutMs = options.timeoutMs === undefined ? this.settings.timeoutMs : options.timeoutMs;
    try {
      return (await this.breaker.fire(fn, timeoutMs)) as T;
    } catch (err) {
      if ((err as { code?: unknown }).code === 'EOPENBREAKER' && CircuitBreaker.isOurError(err as Error))
        throw new CircuitOpenError(this.resource, this.retryAfterMs(), this.settings.resetTimeoutMs, this.openedByPeer);
      throw err;
    }
  }

  /** Opens the breaker because a peer found the resource failing; it half-opens after its own reset timeout. */
  openByPeer(): void {
    if (this.breaker.opened) return;
    this.forcingByPeer = true;
    try {
      this.breaker.open();
    } finally {
      this.forcingByPeer = false;
    }
  }

  /** Closes a breaker that only a peer had opened, once that peer saw the resource answer again. */
  closeByPeer(): void {
    if (!this.openedByPeer) return;
    this.closingByPeer = true;
    try {
      this.breaker.close();
    } finally {
      this.closingByPeer = false;
    }
  }

  /** Stops the breaker's timers. */
  shutdown(): void {
    this.breaker.shutdown();
  }

  private withTimeout(fn: BreakerCall<unknown>, timeoutMs: number | false): Promise<unknown> {
    const controller = new AbortController();
    const run = fn(controller.signal);
    if (timeoutMs === false) return run;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        const err = new BreakerTimeoutError(this.resource, timeoutMs);
        controller.abort(err);
        reject(err);
      }, timeoutMs);
      run.then(
        (value) => {
          clearTimeout(timer);
          resolve(value);
        },
        (err: unknown) => {
          clearTimeout(timer);
          reject(err);
        },
      );
    });
  }
}
