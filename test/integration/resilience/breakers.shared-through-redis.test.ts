/**
 * Two workers' breaker registries sharing state through Redis pub/sub. A breaker opened in one is honoured by the
 * other within a second: its calls are refused without a connection reaching the service. Closing spreads the
 * same way. With Redis away, each worker recovers on its own (half-open after its own reset timeout), and the
 * sharing resumes when Redis returns. The shared Redis is used on a channel of this test's own; the Redis that
 * goes away is a private redis-server started by the test.
 */
import { randomUUID } from 'node:crypto';
import net from 'node:net';
import Redis from 'ioredis';
import { startBreakerBroadcast, type BreakerBroadcast } from '../../../src/platform/resilience/breaker-broadcast';
import { createBreakers, type Breakers } from '../../../src/platform/resilience/breakers';
import { CircuitOpenError } from '../../../src/platform/resilience/errors';
import { startPrivateRedis, type PrivateRedis } from '../../helpers/redis-server';

const SHARED_REDIS = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';
const settings = {
  timeoutMs: 1_000,
  errorThresholdPercentage: 50,
  volumeThreshold: 2,
  resetTimeoutMs: 1_500,
  rollingWindowMs: 10_000,
};
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A TCP service that answers "ok" while up and drops connections while down; counts every connection. */
interface Service {
  up: boolean;
  connections: number;
  readonly resource: string;
  call(): Promise<string>;
  close(): Promise<void>;
}

async function startService(): Promise<Service> {
  const server = net.createServer((socket) => {
    svc.connections++;
    if (svc.up) socket.end('ok');
    else socket.destroy();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const svc: Service = {
    up: true,
    connections: 0,
    resource: `tcp://127.0.0.1:${port}`,
    call: () =>
      new Promise((resolve, reject) => {
        let data = '';
        const s = net.connect(port, '127.0.0.1');
        s.on('data', (d) => (data += d.toString()));
        s.on('error', () => undefined);
        s.on('close', () =>
          data === 'ok'
            ? resolve(data)
            : reject(Object.assign(new Error('connection reset by the service'), { code: 'ECONNRESET' })),
        );
      }),
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
  return svc;
}

interface Worker {
  readonly registry: Breakers;
  readonly broadcast: BreakerBroadcast;
}

function startWorkerBreakers(url: string, channel: string): Worker {
  const registry = createBreakers({ defaults: settings });
  return { registry, broadcast: startBreakerBroadcast({ url, channel, breakers: registry }) };
}

/** Waits until `predicate` holds, polling every 5ms; returns how long it took. */
async function waitFor(predicate: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!predicate()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not within ${timeoutMs}ms: ${what}`);
    await sleep(5);
  }
  return Date.now() - started;
}

async function openBreaker(w: Worker, svc: Service): Promise<void> {
  const b = w.registry.get(svc.resource);
  for (let i = 0; i < 10 && b.state() !== 'open'; i++) await b.call(() => svc.call()).catch(() => undefined);
  expect(b.state()).toBe('open');
}

let svc: Service;
const workers: Worker[] = [];
beforeEach(async () => {
  svc = await startService();
});
afterEach(async () => {
  for (const w of workers.splice(0)) await w.registry.close();
  await svc.close();
});

test('a breaker opened by one worker is honoured by the other within a second, without calls reaching the service; closing spreads too', async () => {
  const channel = `pwt-${randomUUID()}:breakers`;
  const a = startWorkerBreakers(SHARED_REDIS, channel);
  const b = startWorkerBreakers(SHARED_REDIS, channel);
  workers.push(a, b);
  await Promise.all([a.broadcast.ready(), b.broadcast.ready()]);
  await expect(b.registry.get(svc.resource).call(() => svc.call())).resolves.toBe('ok');

  svc.up = false;
  await openBreaker(a, svc);
  const learnedInMs = await waitFor(() => b.registry.get(svc.resource).state() === 'open', 1_000, 'B hears A opened');
  expect(learnedInMs).toBeLessThan(1_000);

  const before = svc.connections;
  for (let i = 0; i < 5; i++) {
    const err = await b.registry
      .get(svc.resource)
      .call(() => svc.call())
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CircuitOpenError);
    expect((err as CircuitOpenError).openedByPeer).toBe(true);
    expect((err as CircuitOpenError).retryAfterMs).toBeGreaterThan(0);
  }
  expect(svc.connections).toBe(before);

  // The service returns; A's trial after its reset timeout closes A, and B hears it.
  svc.up = true;
  await waitFor(() => a.registry.get(svc.resource).state() === 'halfOpen', 3_000, 'A half-opens');
  await expect(a.registry.get(svc.resource).call(() => svc.call())).resolves.toBe('ok');
  expect(a.registry.get(svc.resource).state()).toBe('closed');
  const closedInMs = await waitFor(() => b.registry.get(svc.resource).state() === 'closed', 1_000, 'B hears A closed');
  expect(closedInMs).toBeLessThan(1_000);
  await expect(b.registry.get(svc.resource).call(() => svc.call())).resolves.toBe('ok');
});

describe('with Redis away', () => {
  let redis: PrivateRedis;
  beforeAll(async () => {
    redis = await startPrivateRedis();
  });
  afterAll(() => redis?.stop());

  test('each worker recovers on its own, and sharing resumes when Redis returns', async () => {
    const channel = `pwt-${randomUUID()}:breakers`;
    const a = startWorkerBreakers(redis.url, channel);
    const b = startWorkerBreakers(redis.url, channel);
    workers.push(a, b);
    await Promise.all([a.broadcast.ready(), b.broadcast.ready()]);
    await b.registry.get(svc.resource).call(() => svc.call());

    svc.up = false;
    await openBreaker(a, svc);
    await waitFor(() => b.registry.get(svc.resource).state() === 'open', 1_000, 'B hears A opened');

    await redis.stop();
    svc.up = true;
    // B was opened by A, and will hear nothing more: it half-opens after its own reset timeout and tries.
    await waitFor(() => b.registry.get(svc.resource).state() === 'halfOpen', 3_000, 'B half-opens by itself');
    await expect(b.registry.get(svc.resource).call(() => svc.call())).resolves.toBe('ok');
    expect(b.registry.get(svc.resource).state()).toBe('closed');
    // A too; its news of the close cannot be published, which costs it nothing.
    await waitFor(() => a.registry.get(svc.resource).state() === 'halfOpen', 3_000, 'A half-opens by itself');
    await expect(a.registry.get(svc.resource).call(() => svc.call())).resolves.toBe('ok');

    // Redis returns: both subscriptions come back by themselves and news flows again.
    await redis.start();
    const probe = new Redis(redis.url, { lazyConnect: true });
    try {
      await probe.connect();
      const deadline = Date.now() + 8_000;
      for (;;) {
        const [, subscribers] = (await probe.pubsub('NUMSUB', channel)) as [string, number];
        if (subscribers >= 2) break;
        if (Date.now() > deadline) throw new Error('subscriptions did not come back');
        await sleep(100);
      }
    } finally {
      probe.disconnect();
    }
    await waitFor(() => a.broadcast.connected() && b.broadcast.connected(), 8_000, 'publishers reconnect');
    svc.up = false;
    await openBreaker(b, svc);
    const learnedInMs = await waitFor(() => a.registry.get(svc.resource).state() === 'open', 1_000, 'A hears B opened');
    expect(learnedInMs).toBeLessThan(1_000);
  }, 30_000);
});
