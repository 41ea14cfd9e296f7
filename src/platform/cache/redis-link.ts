/**
 * The cache's link to Redis: a command connection (auto-pipelined) for L2 and a subscriber connection for
 * invalidation broadcasts. Never throws at callers: while Redis is away (not connected, or a command failed in
 * the last second) every call answers "nothing" at once, and the cache serves from L1 alone. Logs one warning
 * per outage and one line when Redis is back.
 */
import type { ConnectionOptions } from 'node:tls';
import type Redis from 'ioredis';
import { commandConnection, endConnection, redisWhere } from '../redis/connection';
import { RedisSubscription } from '../redis/subscription';

/** Wraps each Redis call; the worker passes the Redis circuit breaker here. */
export type CallGuard = <T>(call: () => Promise<T>) => Promise<T>;

export const identityGuard: CallGuard = (call) => call();

export interface CacheLog {
  warn(message: string): void;
  info(message: string): void;
}

export interface RedisLinkOptions {
  readonly url: string;
  readonly channel: string;
  readonly autoPipelining: boolean;
  readonly commandTimeoutMs: number;
  readonly connectTimeoutMs: number;
  readonly guard: CallGuard;
  readonly log: CacheLog;
  /** TLS (`redisTlsOptions(config.redisTls)`); a `rediss://` URL turns TLS on by itself. */
  readonly tls?: ConnectionOptions;
  /** A broadcast arrived (including this instance's own). */
  onMessage(text: string): void;
  /** The subscriber is connected again after an outage: broadcasts may have been missed meanwhile. */
  onReconnected(): void;
}

/** After a failed command, skip Redis this long before trying it again. */
const COOLDOWN_MS = 1_000;
const SCAN_COUNT = 1_000;

const NOTHING: Promise<undefined> = Promise.resolve(undefined);

export class RedisLink {
  private readonly client: Redis;
  private subscription: RedisSubscription | undefined;
  private readonly where: string;
  private cooldownUntil = 0;
  private outage = false;
  private closed = false;

  constructor(private readonly options: RedisLinkOptions) {
    this.where = redisWhere(options.url);
    this.client = commandConnection({
      url: options.url,
      name: 'pipewright-cache',
      tls: options.tls,
      autoPipelining: options.autoPipelining,
      commandTimeoutMs: options.commandTimeoutMs,
      connectTimeoutMs: options.connectTimeoutMs,
    });
    // Without listeners, connection errors would be unhandled 'error' events.
    this.client.on('error', (err: Error) => this.lost(err));
    this.client.on('close', () => this.lost());
    this.client.on('ready', () => this.back());
  }

  /**
   * Connects both connections; resolves true once the command connection is ready, false (after one warning)
   * when Redis does not answer within the connect timeout. Either way the links keep reconnecting on their own.
   */
  async connect(): Promise<boolean> {
    this.subscription ??= new RedisSubscription({
      url: this.options.url,
      name: 'pipewright-cache-sub',
      tls: this.options.tls,
      connectTimeoutMs: this.options.connectTimeoutMs,
      channel: this.options.channel,
      onMessage: (text) => this.options.onMessage(text),
      onReconnected: () => this.options.onReconnected(),
    });
    const subscribed = this.subscription.ready();
    const ready = await this.client.connect().then(
      () => true,
      (err: Error) => {
        this.lost(err);
        return false;
      },
    );
    if (!ready) return false;
    // Invalidations are only heard once subscribed; give the subscription the same time as the connection.
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<false>(
      (resolve) => (timer = setTimeout(() => resolve(false), this.options.connectTimeoutMs)),
    );
    const heard = await Promise.race([subscribed, timeout]);
    clearTimeout(timer);
    if (!heard) this.options.log.warn(`warning: not subscribed to cache invalidations on ${this.where} yet; retrying`);
    return true;
  }

  /** Whether L2 calls are made now. */
  get available(): boolean {
    return !this.closed && this.client.status === 'ready' && Date.now() >= this.cooldownUntil;
  }

  /** The value, null when absent, undefined when Redis is not asked. */
  get(key: string): Promise<string | null | undefined> {
    return this.call(() => this.client.get(key));
  }

  /** Values of `keys` in order (null where absent), or undefined when Redis is not asked. */
  mget(keys: readonly string[]): Promise<(string | null)[] | undefined> {
    if (keys.length === 0) return Promise.resolve([]);
    return this.call(() => this.client.mget(...keys));
  }

  async set(key: string, value: string, ttlMs: number): Promise<void> {
    await this.call(() => this.client.set(key, value, 'PX', ttlMs));
  }

  async setMany(entries: ReadonlyArray<{ key: string; value: string; ttlMs: number }>): Promise<void> {
    if (entries.length === 0) return;
    if (entries.length === 1) {
      const e = entries[0] as (typeof entries)[number];
      return this.set(e.key, e.value, e.ttlMs);
    }
    await this.call(async () => {
      const pipeline = this.client.pipeline();
      for (const e of entries) pipeline.set(e.key, e.value, 'PX', e.ttlMs);
      const results = (await pipeline.exec()) ?? [];
      const failed = results.find(([err]) => err);
      if (failed?.[0]) throw failed[0];
    });
  }

  async del(key: string): Promise<void> {
    await this.call(() => this.client.del(key));
  }

  /** Deletes every key matching a glob pattern, a page of SCAN at a time; returns how many. */
  async delMatching(pattern: string): Promise<number> {
    return (
      (await this.call(async () => {
        let cursor = '0';
        let deleted = 0;
        do {
          const [next, keys] = await this.client.scan(cursor, 'MATCH', pattern, 'COUNT', SCAN_COUNT);
          cursor = next;
          if (keys.length > 0) deleted += await this.client.unlink(...keys);
        } while (cursor !== '0');
        return deleted;
      })) ?? 0
    );
  }

  async publish(text: string): Promise<boolean> {
    return (await this.call(() => this.client.publish(this.options.channel, text))) !== undefined;
  }

  /** Disconnects both connections (no more reconnecting) and resolves once they are closed. */
  async close(): Promise<void> {
    this.closed = true;
    await Promise.all([endConnection(this.client), this.subscription?.close()]);
  }

  /**
   * Runs one Redis call through the guard. Written with `then` rather than `async`: it sits under every L2 read,
   * and each extra promise layer costs the hot path measurably.
   */
  private call<T>(fn: () => Promise<T>): Promise<T | undefined> {
    if (!this.available) return NOTHING;
    let pending: Promise<T>;
    try {
      pending = this.options.guard === identityGuard ? fn() : this.options.guard(fn);
    } catch (err) {
      return Promise.resolve(this.failed(err));
    }
    return pending.then(this.succeeded, this.failed) as Promise<T | undefined>;
  }

  private readonly succeeded = <T>(result: T): T => {
    if (this.outage) this.back();
    return result;
  };

  private readonly failed = (err: unknown): undefined => {
    this.cooldownUntil = Date.now() + COOLDOWN_MS;
    this.lost(err as Error);
    return undefined;
  };

  private lost(err?: Error): void {
    if (this.closed || this.outage) return;
    this.outage = true;
    this.options.log.warn(
      `warning: Redis at ${this.where} is unavailable (${err?.message ?? 'connection closed'}); ` +
        'caching in process only (L1) until it answers again',
    );
  }

  private back(): void {
    this.cooldownUntil = 0;
    if (!this.outage) return;
    this.outage = false;
    this.options.log.info(`Redis at ${this.where} answers again; the shared cache (L2) is back on`);
  }
}
