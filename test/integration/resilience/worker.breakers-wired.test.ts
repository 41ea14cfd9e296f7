/**
 * The worker process wires breakers from its settings: a named connection to a Postgres that is not there opens
 * its breaker after PIPEWRIGHT_BREAKER_VOLUME_THRESHOLD failures, the node's next attempt fails with CircuitOpen,
 * the state change is logged and shows in /metrics, and another registry on the same Redis channel hears of it.
 * The connection's password appears in none of these.
 */
import { randomUUID } from 'node:crypto';
import { startBreakerBroadcast } from '../../../src/platform/resilience/breaker-broadcast';
import { createBreakers } from '../../../src/platform/resilience/breakers';
import { failureOf, nodeOf, startPipeline, waitForStatus } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { freePort, spawnWorkerProcess, type WorkerProcess } from '../../helpers/worker-process';

let h: TemporalHarness;
let worker: WorkerProcess | undefined;
beforeAll(async () => {
  h = await connectHarness('breakers-wired');
});
afterAll(async () => {
  if (worker && worker.child.exitCode === null) {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
  await h.close();
});

test('a worker opens the breaker of a Postgres that is away, refuses with CircuitOpen, logs it, exports it and tells its peers', async () => {
  const [deadPort, metricsPort] = [await freePort(), await freePort()];
  const resource = `postgres://127.0.0.1:${deadPort}/postgres`;
  const channel = `pwt-${randomUUID()}:breakers`;
  const peer = createBreakers();
  const broadcast = startBreakerBroadcast({
    url: process.env.REDIS_URL ?? 'redis://127.0.0.1:6379',
    channel,
    breakers: peer,
  });
  try {
    await broadcast.ready();
    expect(peer.get(resource).state()).toBe('closed');
    worker = spawnWorkerProcess(h.address, h.taskQueue, {
      DATABASE_URL_AWAY: `postgres://postgres:hunter2@127.0.0.1:${deadPort}/postgres`,
      PIPEWRIGHT_BREAKER_VOLUME_THRESHOLD: '2',
      PIPEWRIGHT_BREAKER_RESET_TIMEOUT: '1m',
      PIPEWRIGHT_BREAKER_OVERRIDES: JSON.stringify({ 'database:away': { errorThresholdPercentage: 10 } }),
      PIPEWRIGHT_BREAKER_CHANNEL: channel,
      PIPEWRIGHT_METRICS_PORT: String(metricsPort),
      PIPEWRIGHT_METRICS_HOST: '127.0.0.1',
    });
    await worker.ready;
    const handle = await startPipeline(h.client, h.taskQueue, {
      name: 'away',
      nodes: [
        {
          id: 'read',
          type: 'source.postgres',
          params: { query: 'SELECT 1 AS one', connection: 'away' },
          retry: { initialInterval: '100ms', maximumAttempts: 3 },
        },
      ],
    });
    const failure = await failureOf(handle.result());
    expect(failure.type).toBe('PipelineFailed');
    const status = await waitForStatus(handle, (s) => s.state === 'failed');
    const read = nodeOf(status, 'read');
    // Two refused connections open the breaker; the third attempt is refused without a connection.
    expect(read.attempts).toBe(3);
    expect(read.error).toMatchObject({ type: 'CircuitOpen', nonRetryable: false });
    expect(read.error?.message).toContain(`circuit breaker for ${resource} is open`);

    // The other worker heard of it through Redis.
    const deadline = Date.now() + 1_000;
    while (peer.get(resource).state() !== 'open' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(peer.get(resource).state()).toBe('open');
    expect(peer.get(resource).openedByPeer).toBe(true);

    const metrics = await (await fetch(`http://127.0.0.1:${metricsPort}/metrics`)).text();
    expect(metrics).toContain(`pipewright_breaker_state{resource="${resource}"} 2`);
    expect(metrics).toMatch(new RegExp(`pipewright_breaker_events_total\\{resource="${resource}",event="open"\\} 1`));
    expect(metrics).toMatch(
      new RegExp(`pipewright_breaker_events_total\\{resource="${resource}",event="reject"\\} [1-9]`),
    );
    expect(worker.output()).toContain(`circuit breaker ${resource} opened`);
    expect(`${worker.output()}${metrics}${JSON.stringify(status)}`).not.toContain('hunter2');
  } finally {
    await peer.close();
  }
});
