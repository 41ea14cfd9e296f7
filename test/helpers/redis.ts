/**
 * Redis in tests: the shared server with a key prefix of the test's own (cleaned up by SCAN + UNLINK of that
 * prefix, never FLUSHALL), and private `redis-server` processes on free ports for tests that stop Redis.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { createCache, type TwoLevelCache } from '../../src/platform/cache';
import { freePort } from '../../src/platform/devserver/free-port';

export const SHARED_REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

/** `pwt-<name>-<random>`: the test's own keys and channel. */
export const testPrefix = (name: string): string => `pwt-${name}-${randomBytes(4).toString('hex')}`;

/** A plain client for assertions on the shared server. */
export const redisClient = (url = SHARED_REDIS_URL): Redis => new Redis(url, { lazyConnect: false });

/** A two-level cache on the shared server under `prefix`, connected, quiet. */
export async function connectedCache(prefix: string): Promise<TwoLevelCache> {
  const cache = createCache({
    redisUrl: SHARED_REDIS_URL,
    prefix,
    log: { warn: () => undefined, info: () => undefined },
  });
  if (!(await cache.connect())) throw new Error(`the cache did not connect to ${SHARED_REDIS_URL}`);
  return cache;
}

/** Deletes the keys under `prefix` on the shared server. */
export async function dropPrefix(prefix: string, url = SHARED_REDIS_URL): Promise<number> {
  const redis = redisClient(url);
  try {
    let cursor = '0';
    let dropped = 0;
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
      cursor = next;
      if (keys.length > 0) dropped += await redis.unlink(...keys);
    } while (cursor !== '0');
    return dropped;
  } finally {
    redis.disconnect();
  }
}

export interface PrivateRedis {
  readonly url: string;
  readonly port: number;
  /** SIGKILL, and wait until the process is gone. */
  kill(): Promise<void>;
}

/**
 * Starts `redis-server` on a free port (or `port`, to bring one back), without persistence, as a child of the
 * test; resolves once it answers.
 */
export async function startPrivateRedis(port?: number): Promise<PrivateRedis> {
  port ??= await freePort();
  const child: ChildProcess = spawn(
    'redis-server',
    ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no'],
    { stdio: 'ignore' },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  // Never leave a server behind, even when the process ends early (a timeout, a crash).
  const reap = (): void => void child.kill('SIGKILL');
  process.once('exit', reap);
  void exited.then(() => process.removeListener('exit', reap));
  const deadline = Date.now() + 5_000;
  while (!(await answers(port))) {
    if (Date.now() > deadline || child.exitCode !== null) {
      child.kill('SIGKILL');
      throw new Error(`redis-server on port ${port} did not start`);
    }
    await new Promise((r) => setTimeout(r, 50));
  }
  return {
    url: `redis://127.0.0.1:${port}`,
    port,
    async kill() {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
      await exited;
    },
  };
}

function answers(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.end('PING\r\n');
      socket.once('data', (d) => resolve(d.toString().startsWith('+PONG')));
    });
    socket.once('error', () => resolve(false));
  });
}
