/**
 * The worker process's circuit breakers: one per external resource (a Postgres server and database, the Redis
 * URL, an HTTP origin), created on first use with the configured settings. A node that sets its own `breaker`
 * settings gets a breaker of its own for that resource and those settings; all breakers of one resource open
 * together. State changes are logged, counted in metrics, and handed to listeners (the Redis broadcast).
 */
import type { Counter, Gauge } from 'prom-client';
import type { BreakerEvent } from './breaker';
import { BREAKER_STATE_VALUE, ResourceBreaker } from './breaker';
import type { BreakerOverrides, BreakerSettings } from '../../model/breaker-settings';
import { applyBreakerOverrides, BREAKER_DEFAULTS, describeOverrides } from '../../model/breaker-settings';
import { isError } from '../errors';

export interface BreakerLogger {
  info(message: string, attrs?: Record<string, unknown>): void;
  warn(message: string, attrs?: Record<string, unknown>): void;
}

/** `pipewright_breaker_state` and `pipewright_breaker_events_total` (see `src/platform/metrics/metrics.ts`). */
export interface BreakerMetrics {
  readonly breakerState: Gauge<'resource'>;
  readonly breakerEvents: Counter<'resource' | 'event'>;
}

export interface BreakerRegistryOptions {
  /** Settings of every breaker unless overridden; the engine defaults when omitted. */
  readonly defaults?: BreakerSettings;
  /** Overrides by resource name (`postgres://host:port/db`, `redis://host:port`, `https://origin`). */
  readonly resources?: Readonly<Record<string, BreakerOverrides>>;
  readonly metrics?: BreakerMetrics;
  readonly log?: BreakerLogger;
}

/** A breaker of this process opened (its own failures) or closed (its trial call succeeded). */
export interface BreakerStateChange {
  readonly resource: string;
  readonly state: 'open' | 'close';
  readonly resetTimeoutMs: number;
}

export interface Breakers {
  /** The breaker of `resource`; with overrides that change its settings, a breaker of its own for them. */
  get(resource: string, overrides?: BreakerOverrides): ResourceBreaker;
  /** The settings of a resource's breaker without node overrides. */
  settingsFor(resource: string): BreakerSettings;
  /** Calls `listener` when a breaker of this process opens or closes by itself; returns an unsubscribe. */
  onStateChange(listener: (change: BreakerStateChange) => void): () => void;
  /** News from another worker: open every breaker of `resource`, or close the ones only peers had opened. */
  applyPeer(resource: string, state: 'open' | 'close'): void;
  /** Runs `fn` on close (before the breakers stop), e.g. to stop the Redis broadcast. */
  onClose(fn: () => Promise<void>): void;
  /** Stops every breaker's timers and whatever was registered with `onClose`. */
  close(): Promise<void>;
}

const EVENT_LABEL: Readonly<Record<BreakerEvent, string>> = {
  open: 'open',
  halfOpen: 'half_open',
  close: 'close',
  peerOpen: 'peer_open',
  peerClose: 'peer_close',
  success: 'success',
  failure: 'failure',
  timeout: 'timeout',
  reject: 'reject',
};

const describeError = (err: unknown): string =>
  isError(err) ? `${err.name}: ${err.message}` : err === undefined ? 'none recorded' : String(err);

const noLog: BreakerLogger = { info: () => undefined, warn: () => undefined };

export function createBreakers(options: BreakerRegistryOptions = {}): Breakers {
  const defaults = options.defaults ?? BREAKER_DEFAULTS;
  const resources = options.resources ?? {};
  const log = options.log ?? noLog;
  const metrics = options.metrics;
  const breakers = new Map<string, ResourceBreaker>();
  const listeners = new Set<(change: BreakerStateChange) => void>();
  const closers: Array<() => Promise<void>> = [];
  /** Resources a peer reported failing, until when: a breaker created meanwhile starts open. */
  const peerOpenUntil = new Map<string, number>();

  const settingsFor = (resource: string): BreakerSettings => applyBreakerOverrides(defaults, resources[resource]);
  const siblings = (b: ResourceBreaker): ResourceBreaker[] =>
    [...breakers.values()].filter((o) => o !== b && o.resource === b.resource);
  const notify = (change: BreakerStateChange): void => {
    for (const l of listeners) l(change);
  };

  const onEvent = (b: ResourceBreaker, event: BreakerEvent, error?: unknown): void => {
    metrics?.breakerEvents.inc({ resource: b.name, event: EVENT_LABEL[event] });
    const attrs = { resource: b.name };
    switch (event) {
      case 'open':
        log.warn(
          `circuit breaker ${b.name} opened: the resource is failing (last error: ${describeError(error)}); ` +
            `calls are refused for ${b.settings.resetTimeoutMs}ms, then one trial call goes through`,
          attrs,
        );
        for (const s of siblings(b)) s.openByPeer();
        notify({ resource: b.resource, state: 'open', resetTimeoutMs: b.settings.resetTimeoutMs });
        break;
      case 'peerOpen':
        log.warn(`circuit breaker ${b.name} opened: another worker found the resource failing`, attrs);
        break;
      case 'halfOpen':
        log.info(`circuit breaker ${b.name} half-open: letting one trial call through`, attrs);
        break;
      case 'close':
        log.info(`circuit breaker ${b.name} closed: the resource answers again`, attrs);
        for (const s of siblings(b)) s.closeByPeer();
        notify({ resource: b.resource, state: 'close', resetTimeoutMs: b.settings.resetTimeoutMs });
        break;
      case 'peerClose':
        log.info(`circuit breaker ${b.name} closed: another worker found the resource answering again`, attrs);
        break;
      default:
        return;
    }
    metrics?.breakerState.set({ resource: b.name }, BREAKER_STATE_VALUE[b.state()]);
  };

  return {
    get(resource, overrides) {
      const own = describeOverrides(overrides);
      const name = own ? `${resource} [${own}]` : resource;
      let b = breakers.get(name);
      if (!b) {
        b = new ResourceBreaker(resource, name, applyBreakerOverrides(settingsFor(resource), overrides), onEvent);
        breakers.set(name, b);
        metrics?.breakerState.set({ resource: name }, 0);
        // Every event's series from the start: increase() and rate() miss the first value of a series that appears.
        for (const event of Object.values(EVENT_LABEL)) metrics?.breakerEvents.inc({ resource: name, event }, 0);
        // A breaker created while its resource is known to be down starts open too.
        const peerOpen = (peerOpenUntil.get(resource) ?? 0) > Date.now();
        if (peerOpen || siblings(b).some((s) => s.state() === 'open')) b.openByPeer();
      }
      return b;
    },
    settingsFor,
    onStateChange(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    applyPeer(resource, state) {
      if (state === 'open') peerOpenUntil.set(resource, Date.now() + settingsFor(resource).resetTimeoutMs);
      else peerOpenUntil.delete(resource);
      for (const b of breakers.values()) {
        if (b.resource !== resource) continue;
        if (state === 'open') b.openByPeer();
        else b.closeByPeer();
      }
    },
    onClose(fn) {
      closers.push(fn);
    },
    async close() {
      for (const fn of closers.splice(0)) await fn().catch(() => undefined);
      for (const b of breakers.values()) b.shutdown();
      breakers.clear();
      listeners.clear();
    },
  };
}
