/**
 * The breaker registry with real opossum breakers in front of a fake resource (a function counting its calls):
 * what opens a breaker, what an open breaker refuses (without calling the resource), half-open trials, timeouts,
 * node overrides, metrics and logs.
 */
import { Registry } from 'prom-client';
import { createMetrics } from '../../../src/platform/metrics/metrics';
import { createBreakers, type Breakers } from '../../../src/platform/resilience/breakers';
import { BreakerTimeoutError, CircuitOpenError } from '../../../src/platform/resilience/errors';

const refused = () => Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1'), { code: 'ECONNREFUSED' });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const settings = {
  timeoutMs: 200,
  errorThresholdPercentage: 50,
  volumeThreshold: 3,
  resetTimeoutMs: 300,
  rollingWindowMs: 10_000,
};
const R = 'postgres://127.0.0.1:1/db';

let registry: Breakers;
let metrics: ReturnType<typeof createMetrics>;
let logs: string[];
beforeEach(() => {
  metrics = createMetrics(new Registry());
  logs = [];
  const log = { info: (m: string) => logs.push(`info ${m}`), warn: (m: string) => logs.push(`warn ${m}`) };
  registry = createBreakers({ defaults: settings, metrics, log });
});
afterEach(() => registry.close());

/** A resource that fails while `down`, counting the calls that reach it. */
function resource() {
  const r = {
    down: true,
    calls: 0,
    call: async () => {
      r.calls++;
      if (r.down) throw refused();
      return 'ok';
    },
  };
  return r;
}

async function failUntilOpen(reg: Breakers, res: ReturnType<typeof resource>, name = R) {
  for (let i = 0; i < 10 && reg.get(name).state() !== 'open'; i++)
    await reg
      .get(name)
      .call(res.call)
      .catch(() => undefined);
}

test('opens after volumeThreshold calls with more than errorThresholdPercentage failed, then refuses without calling', async () => {
  const res = resource();
  const b = registry.get(R);
  await expect(b.call(res.call)).rejects.toThrow('ECONNREFUSED');
  await expect(b.call(res.call)).rejects.toThrow('ECONNREFUSED');
  expect(b.state()).toBe('closed'); // under volumeThreshold
  await expect(b.call(res.call)).rejects.toThrow('ECONNREFUSED');
  expect(b.state()).toBe('open');
  expect(res.calls).toBe(3);

  const err = await b.call(res.call).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CircuitOpenError);
  expect((err as CircuitOpenError).retryAfterMs).toBeGreaterThan(200);
  expect((err as CircuitOpenError).retryAfterMs).toBeLessThanOrEqual(300);
  expect((err as CircuitOpenError).resource).toBe(R);
  expect(res.calls).toBe(3);
});

test('errors that say the resource answered do not open it', async () => {
  const b = registry.get(R);
  const constraint = Object.assign(new Error('duplicate key'), { code: '23505' });
  for (let i = 0; i < 6; i++) await expect(b.call(() => Promise.reject(constraint))).rejects.toBe(constraint);
  expect(b.state()).toBe('closed');
});

test('half-open after resetTimeout lets exactly one trial through; success closes, failure opens again', async () => {
  const res = resource();
  await failUntilOpen(registry, res);
  const b = registry.get(R);
  await sleep(350);
  expect(b.state()).toBe('halfOpen');
  // Trial fails: open again, for another resetTimeout.
  const before = res.calls;
  const [trial, second] = await Promise.allSettled([b.call(res.call), b.call(res.call)]);
  expect(trial.status === 'rejected' && (trial.reason as Error).message).toContain('ECONNREFUSED');
  expect(second.status === 'rejected' && second.reason).toBeInstanceOf(CircuitOpenError);
  expect(res.calls).toBe(before + 1);
  expect(b.state()).toBe('open');
  // The resource returns: the next trial closes the breaker.
  res.down = false;
  await sleep(350);
  await expect(b.call(res.call)).resolves.toBe('ok');
  expect(b.state()).toBe('closed');
  await expect(b.call(res.call)).resolves.toBe('ok');
});

test('a call longer than the timeout fails with a timeout (and its signal is aborted); timeouts open the breaker', async () => {
  const b = registry.get(R);
  let aborted = 0;
  const slow = (signal: AbortSignal) =>
    new Promise<string>((resolve) => {
      signal.addEventListener('abort', () => aborted++);
      setTimeout(() => resolve('late'), 1_000).unref();
    });
  const started = Date.now();
  await expect(b.call(slow)).rejects.toBeInstanceOf(BreakerTimeoutError);
  expect(Date.now() - started).toBeLessThan(600);
  expect(aborted).toBe(1);
  // A call may take its own timeout, or none.
  await expect(b.call(slow, { timeoutMs: 50 })).rejects.toThrow('timed out after 50ms');
  await expect(b.call(slow, { timeoutMs: 50 })).rejects.toBeInstanceOf(BreakerTimeoutError);
  expect(b.state()).toBe('open');
  await expect(registry.get('other').call(() => sleep(250).then(() => 'slow ok'), { timeoutMs: false })).resolves.toBe(
    'slow ok',
  );
});

test('a node with its own settings gets a breaker of its own, which opens together with the resource', async () => {
  const res = resource();
  const own = registry.get(R, { volumeThreshold: 1, resetTimeout: '5s' });
  const shared = registry.get(R);
  expect(own).not.toBe(shared);
  expect(own.name).toBe(`${R} [resetTimeout=5s,volumeThreshold=1]`);
  expect(own.settings).toEqual({ ...settings, volumeThreshold: 1, resetTimeoutMs: 5_000 });
  expect(registry.get(R, { resetTimeout: '5s', volumeThreshold: 1 })).toBe(own);
  expect(registry.get(R, {})).toBe(shared);

  await own.call(res.call).catch(() => undefined);
  expect(own.state()).toBe('open');
  expect(shared.state()).toBe('open');
  expect(shared.openedByPeer).toBe(true);
  const calls = res.calls;
  await expect(shared.call(res.call)).rejects.toBeInstanceOf(CircuitOpenError);
  expect(res.calls).toBe(calls);
  // A breaker created while its resource is down starts open.
  expect(registry.get(R, { timeout: '1s' }).state()).toBe('open');
});

test('per-resource settings from the configuration apply to that resource only', () => {
  const reg = createBreakers({ defaults: settings, resources: { [R]: { resetTimeout: '2s' } } });
  expect(reg.get(R).settings.resetTimeoutMs).toBe(2_000);
  expect(reg.get('https://api.example.com').settings.resetTimeoutMs).toBe(300);
  expect(reg.settingsFor(R).resetTimeoutMs).toBe(2_000);
  return reg.close();
});

test('state changes are logged and counted in metrics; listeners hear this process own opens and closes', async () => {
  const res = resource();
  const changes: string[] = [];
  registry.onStateChange((c) => changes.push(`${c.resource} ${c.state}`));
  await failUntilOpen(registry, res);
  await registry
    .get(R)
    .call(res.call)
    .catch(() => undefined);
  res.down = false;
  await sleep(350);
  await registry.get(R).call(res.call);

  expect(changes).toEqual([`${R} open`, `${R} close`]);
  expect(logs).toEqual([
    expect.stringMatching(/^warn circuit breaker postgres:\/\/127\.0\.0\.1:1\/db opened: .*ECONNREFUSED/),
    `info circuit breaker ${R} half-open: letting one trial call through`,
    `info circuit breaker ${R} closed: the resource answers again`,
  ]);
  const text = await metrics.registry.metrics();
  expect(text).toContain(`pipewright_breaker_state{resource="${R}"} 0`);
  const event = (e: string) =>
    Number(new RegExp(`pipewright_breaker_events_total\\{resource="[^"]+",event="${e}"\\} (\\d+)`).exec(text)?.[1]);
  expect(event('failure')).toBe(3);
  expect(event('open')).toBe(1);
  expect(event('reject')).toBe(1);
  expect(event('half_open')).toBe(1);
  expect(event('close')).toBe(1);
  expect(event('success')).toBe(1);
  // Every event's series exists from the breaker's creation, at 0 until it happens.
  expect(event('peer_open')).toBe(0);
  expect(event('timeout')).toBe(0);
});

test('the state gauge reads 2 while open and 1 while half-open', async () => {
  const res = resource();
  await failUntilOpen(registry, res);
  const gauge = async () => (await metrics.breakerState.get()).values.find((v) => v.labels.resource === R)?.value;
  expect(await gauge()).toBe(2);
  await sleep(350);
  expect(await gauge()).toBe(1);
});
