/**
 * A subscription to one Redis pub/sub channel, on a connection of its own: messages go to `onMessage`, and
 * `onReconnected` says when the connection is back after an outage (messages published meanwhile were missed).
 */
import type Redis from 'ioredis';
import { endConnection, subscriberConnection, type RedisConnectionOptions } from './connection';

export interface SubscriptionOptions extends RedisConnectionOptions {
  readonly channel: string;
  onMessage(text: string): void;
  /** The connection is back after an outage: messages may have been missed meanwhile. */
  onReconnected?(): void;
  /** The connection failed (called for every error; the caller decides what to log). */
  onError?(err: Error): void;
}

export class RedisSubscription {
  private readonly redis: Redis;
  private readonly subscribed: Promise<boolean>;
  private lost = false;
  private closed = false;

  constructor(private readonly options: SubscriptionOptions) {
    this.redis = subscriberConnection(options);
    this.redis.on('error', (err: Error) => options.onError?.(err));
    this.redis.on('close', () => {
      if (!this.closed) this.lost = true;
    });
    this.redis.on('ready', () => {
      if (!this.lost) return;
      this.lost = false;
      options.onReconnected?.();
    });
    this.redis.on('message', (channel: string, text: string) => {
      if (channel === options.channel) options.onMessage(text);
    });
    // SUBSCRIBE is queued until the connection is up.
    this.subscribed = this.redis.subscribe(options.channel).then(
      () => true,
      () => false,
    );
    this.redis.connect().catch(() => undefined);
  }

  /** Resolves true once subscribed; false if subscribing failed (the connection then retries by itself). */
  ready(): Promise<boolean> {
    return this.subscribed;
  }

  /** Whether the connection is up now. */
  get connected(): boolean {
    return this.redis.status === 'ready';
  }

  async close(): Promise<void> {
    this.closed = true;
    await endConnection(this.redis);
  }
}
