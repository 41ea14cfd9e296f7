/**
 * Shares breaker state between workers through Redis pub/sub: when a breaker of this process opens (or closes
 * after a successful trial), the others hear it within milliseconds and open (or close) theirs for that resource,
 * so they stop calling a resource another worker found failing. Redis is optional here: while it is away each
 * worker's breakers work on their own (a peer-opened breaker half-opens after its own reset timeout), publishes
 * fail fast instead of queueing stale news, and the subscription comes back by itself when Redis does.
 */
import { randomUUID } from 'node:crypto';
import { z } from 'zod';
import { commandConnection, endConnection } from '../redis/connection';
import { RedisSubscription } from '../redis/subscription';
import type { BreakerLogger, Breakers, BreakerStateChange } from './breakers';
import { ResourceUnavailableError } from './errors';
import { redisResource } from './resources';
import type { ConnectionOptions } from 'node:tls';

export interface BreakerBroadcastOptions {
  /** REDIS_URL. */
  readonly url: string;
  /** The pub/sub channel; workers that share breakers use the same one. */
  readonly channel: string;
  readonly breakers: Breakers;
  readonly log?: BreakerLogger;
  /** Identifies this process in messages, so it ignores its own; random when omitted. */
  readonly origin?: string;
  /** TLS for Redis (`redisTlsOptions(config.redisTls)`); a `rediss://` URL turns TLS on by itself. */
  readonly tls?: ConnectionOptions;
}

export interface BreakerBroadcast {
  readonly origin: string;
  /** Resolves once the subscription is active (it may never, while Redis is away). */
  ready(): Promise<void>;
  /** Whether both connections to Redis are up now (news goes out and comes in). */
  connected(): boolean;
  close(): Promise<void>;
}

const MessageSchema = z.object({
  v: z.literal(1),
  origin: z.string(),
  resource: z.string().min(1),
  state: z.enum(['open', 'close']),
  /** When the sender's breaker changed state (epoch ms). */
  at: z.number(),
  resetTimeoutMs: z.number().nonnegative(),
});
type Message = z.infer<typeof MessageSchema>;

/** Starts sharing the state changes of `breakers` on `channel`; closing the breakers stops it too. */
export function startBreakerBroadcast(options: BreakerBroadcastOptions): BreakerBroadcast {
  const { breakers, channel } = options;
  const log = options.log ?? { info: () => undefined, warn: () => undefined };
  const origin = options.origin ?? randomUUID();
  const resource = redisResource(options.url);
  const redisBreaker = breakers.get(resource);
  let away = false;
  const onError = (err: Error): void => {
    if (away) return;
    away = true;
    log.warn(`breaker sharing: Redis at ${resource} unreachable (${err.message}); breakers work locally meanwhile`);
  };
  // Commands fail at once while Redis is away: news published late is wrong news, and a publish must not wait.
  const pub = commandConnection({ url: options.url, name: 'pipewright-breakers', tls: options.tls });
  pub.on('error', onError);
  pub.connect().catch(() => undefined);
  const sub = new RedisSubscription({
    url: options.url,
    name: 'pipewright-breakers-sub',
    tls: options.tls,
    channel,
    onError,
    onReconnected: () => {
      if (!away) return;
      away = false;
      log.info(`breaker sharing: Redis at ${resource} is back`);
    },
    onMessage: (text) => {
      const msg = parse(text);
      if (!msg || msg.origin === origin) return;
      // An open older than its reset timeout is over: the sender's breaker has half-opened since.
      if (msg.state === 'open' && msg.at + msg.resetTimeoutMs < Date.now()) return;
      breakers.applyPeer(msg.resource, msg.state);
    },
  });

  const publish = (change: BreakerStateChange): void => {
    // The Redis breaker's own state is no news to send through Redis.
    if (change.resource === resource) return;
    const msg: Message = { v: 1, origin, ...change, at: Date.now() };
    redisBreaker
      .call(async () => {
        if (pub.status !== 'ready') throw new ResourceUnavailableError(resource, `connection is ${pub.status}`);
        await pub.publish(channel, JSON.stringify(msg));
      })
      .catch((err: Error) =>
        log.warn(
          `breaker sharing: could not tell other workers that ${change.resource} is ${change.state}: ${err.message}`,
        ),
      );
  };
  const unsubscribe = breakers.onStateChange(publish);

  const close = async (): Promise<void> => {
    unsubscribe();
    await Promise.all([endConnection(pub), sub.close()]);
  };
  breakers.onClose(close);
  return {
    origin,
    ready: async () => {
      await sub.ready();
    },
    connected: () => pub.status === 'ready' && sub.connected,
    close,
  };
}

function parse(text: string): Message | undefined {
  try {
    const parsed = MessageSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
