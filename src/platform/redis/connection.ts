/**
 * Redis connections, made in one place for every part that uses Redis (the cache, breaker sharing): the same
 * reconnect schedule, the same TLS handling, and the same rule for commands while Redis is away (fail at once, never
 * queue behind a dead server). Each user wraps its calls in its own breaker or guard.
 */
import type { ConnectionOptions } from 'node:tls';
import Redis from 'ioredis';
import { redactUrl } from '../db/redact';

export interface RedisConnectionOptions {
  readonly url: string;
  /** Shown in `CLIENT LIST`, e.g. `pipewright-cache`. */
  readonly name: string;
  /** TLS (`redisTlsOptions(config.redisTls)`); a `rediss://` URL turns TLS on by itself. */
  readonly tls?: ConnectionOptions;
  readonly connectTimeoutMs?: number;
  /** Commands only: a command that takes longer fails. */
  readonly commandTimeoutMs?: number;
  /** Commands only: send commands made in one tick as one pipeline. */
  readonly autoPipelining?: boolean;
}

const MAX_RECONNECT_DELAY_MS = 2_000;

/** Reconnect quickly at first, then every 2 s: a worker hears again soon after Redis returns. */
export const reconnectDelay = (times: number): number => Math.min(50 * 2 ** Math.min(times, 6), MAX_RECONNECT_DELAY_MS);

/** The URL without its password, for messages. */
export const redisWhere = (url: string): string => redactUrl(url);

/**
 * A connection for commands. Not connected until `connect()`. While it is not ready, commands fail at once: a
 * caller falls back (the cache to L1) or drops stale news (breaker sharing) instead of waiting.
 */
export function commandConnection(o: RedisConnectionOptions): Redis {
  return new Redis(o.url, {
    ...(o.tls ? { tls: o.tls } : {}),
    lazyConnect: true,
    enableAutoPipelining: o.autoPipelining ?? false,
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    ...(o.commandTimeoutMs !== undefined ? { commandTimeout: o.commandTimeoutMs } : {}),
    ...(o.connectTimeoutMs !== undefined ? { connectTimeout: o.connectTimeoutMs } : {}),
    retryStrategy: reconnectDelay,
    connectionName: o.name,
  });
}

/** A connection for SUBSCRIBE: it waits for Redis and resubscribes by itself after a reconnect. */
export function subscriberConnection(o: RedisConnectionOptions): Redis {
  return new Redis(o.url, {
    ...(o.tls ? { tls: o.tls } : {}),
    lazyConnect: true,
    enableOfflineQueue: true,
    maxRetriesPerRequest: null,
    autoResubscribe: true,
    ...(o.connectTimeoutMs !== undefined ? { connectTimeout: o.connectTimeoutMs } : {}),
    retryStrategy: reconnectDelay,
    connectionName: o.name,
  });
}

/** Disconnects (no more reconnecting) and resolves once the connection is closed, or after a second. */
export async function endConnection(redis: Redis): Promise<void> {
  if (redis.status === 'end') return;
  const ended = new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, 1_000);
    redis.once('end', () => {
      clearTimeout(timer);
      resolve();
    });
  });
  redis.disconnect();
  await ended;
}
