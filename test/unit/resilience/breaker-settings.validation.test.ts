/**
 * Bad breaker and jitter settings are refused at validation, each with its path; good ones resolve field by field
 * (node over pipeline defaults over the worker's configuration over the engine defaults).
 */
import { ConfigError, loadConfig } from '../../../src/platform/config/config';
import { resolveNodeBreaker, resolveNodeOptions } from '../../../src/model/options';
import { validateDefinition } from '../../../src/model/validate';
import { postgresResource } from '../../../src/platform/resilience/resources';
import { applyBreakerOverrides, BREAKER_DEFAULTS } from '../../../src/model/breaker-settings';

const def = (node: object, defaults: object = {}) => ({
  name: 'p',
  defaults,
  nodes: [{ id: 'a', type: 'noop', ...node }],
});

const problemsOf = (input: unknown) => {
  const r = validateDefinition(input);
  return r.ok ? [] : r.problems;
};

describe('breaker settings in a definition', () => {
  it('accepts every setting, as numbers and duration strings', () => {
    const r = validateDefinition(
      def(
        {
          breaker: {
            timeout: '2s',
            errorThresholdPercentage: 25,
            volumeThreshold: 3,
            resetTimeout: 500,
            rollingWindow: '1m',
          },
        },
        { breaker: { resetTimeout: '10s' } },
      ),
    );
    expect(r.problems).toEqual([]);
  });

  it('refuses bad values, each with its path', () => {
    const problems = problemsOf(
      def(
        {
          breaker: {
            timeout: 0,
            errorThresholdPercentage: 150,
            volumeThreshold: 2.5,
            resetTimeout: 'soon',
            rollingWindow: '50ms',
            halfOpenAfter: '1s',
          },
        },
        { breaker: { errorThresholdPercentage: 0 } },
      ),
    );
    const byPath = Object.fromEntries(problems.map((p) => [p.path, p.message]));
    expect(byPath).toEqual({
      'nodes[0].breaker.timeout': 'timeout must be between 1ms and 3600000ms, got 0ms',
      'nodes[0].breaker.errorThresholdPercentage': 'errorThresholdPercentage must be between 1 and 99',
      'nodes[0].breaker.volumeThreshold': 'volumeThreshold must be a whole number',
      'nodes[0].breaker.resetTimeout': expect.stringContaining('resetTimeout: expected a duration'),
      'nodes[0].breaker.rollingWindow': 'rollingWindow must be between 100ms and 3600000ms, got 50ms',
      'nodes[0].breaker': expect.stringContaining("Unrecognized key(s) in object: 'halfOpenAfter'"),
      'defaults.breaker.errorThresholdPercentage': 'errorThresholdPercentage must be between 1 and 99',
    });
  });

  it('merges a node over the pipeline defaults, field by field', () => {
    const r = validateDefinition(
      def({ breaker: { volumeThreshold: 2 } }, { breaker: { volumeThreshold: 9, resetTimeout: '5s' } }),
    );
    if (!r.ok) throw new Error('invalid');
    const node = r.definition.nodes[0]!;
    expect(resolveNodeBreaker(node, r.definition.defaults)).toEqual({ volumeThreshold: 2, resetTimeout: '5s' });
    expect(resolveNodeBreaker({ ...node, breaker: undefined }, {})).toBeUndefined();
    expect(applyBreakerOverrides(BREAKER_DEFAULTS, { volumeThreshold: 2, resetTimeout: '5s' })).toEqual({
      ...BREAKER_DEFAULTS,
      volumeThreshold: 2,
      resetTimeoutMs: 5_000,
    });
  });
});

describe('retry jitter in a definition', () => {
  it('accepts 0 to 1 and resolves it (default 0)', () => {
    const r = validateDefinition(def({ retry: { jitter: 0.3 } }, { retry: { jitter: 1 } }));
    if (!r.ok) throw new Error(JSON.stringify(r.problems));
    expect(resolveNodeOptions(r.definition.nodes[0]!, r.definition.defaults).retry.jitter).toBe(0.3);
    expect(resolveNodeOptions({ ...r.definition.nodes[0]!, retry: undefined }, {}).retry.jitter).toBe(0);
  });

  it('refuses jitter outside 0..1 with its path', () => {
    expect(problemsOf(def({ retry: { jitter: 1.5 } }, { retry: { jitter: -0.1 } }))).toEqual(
      expect.arrayContaining([
        { path: 'nodes[0].retry.jitter', message: 'jitter must be between 0 and 1' },
        { path: 'defaults.retry.jitter', message: 'jitter must be between 0 and 1' },
      ]),
    );
  });
});

describe('breaker settings in the environment', () => {
  const base = { DATABASE_URL_WAREHOUSE: 'postgres://etl:secret@db.internal:6543/dw' };

  it('has defaults, and reads PIPEWRIGHT_BREAKER_* and per-resource overrides', () => {
    expect(loadConfig({}).breakers).toEqual({
      defaults: BREAKER_DEFAULTS,
      resources: {},
      share: true,
      channel: 'pipewright:breakers',
    });
    expect(loadConfig({}).redis.url).toBe('redis://127.0.0.1:6379');
    const config = loadConfig({
      ...base,
      PIPEWRIGHT_BREAKER_TIMEOUT: '3s',
      PIPEWRIGHT_BREAKER_ERROR_THRESHOLD: '30',
      PIPEWRIGHT_BREAKER_VOLUME_THRESHOLD: '4',
      PIPEWRIGHT_BREAKER_RESET_TIMEOUT: '15000',
      PIPEWRIGHT_BREAKER_ROLLING_WINDOW: '20s',
      PIPEWRIGHT_BREAKER_OVERRIDES: JSON.stringify({
        'database:warehouse': { resetTimeout: '1m' },
        database: { volumeThreshold: 10 },
        'https://api.example.com': { timeout: '2s' },
        redis: { resetTimeout: '5s' },
      }),
      PIPEWRIGHT_BREAKER_SHARE: 'false',
    });
    expect(config.breakers.defaults).toEqual({
      timeoutMs: 3_000,
      errorThresholdPercentage: 30,
      volumeThreshold: 4,
      resetTimeoutMs: 15_000,
      rollingWindowMs: 20_000,
    });
    expect(config.breakers.resources).toEqual({
      'postgres://db.internal:6543/dw': { resetTimeout: '1m' },
      'postgres://127.0.0.1:5432/postgres': { volumeThreshold: 10 },
      'https://api.example.com': { timeout: '2s' },
      'redis://127.0.0.1:6379': { resetTimeout: '5s' },
    });
    expect(config.breakers.share).toBe(false);
    // Resource names never carry the password.
    expect(postgresResource(base.DATABASE_URL_WAREHOUSE)).not.toContain('secret');
  });

  it('refuses bad values, naming the variable and the path', () => {
    let error: unknown;
    try {
      loadConfig({
        ...base,
        PIPEWRIGHT_BREAKER_ERROR_THRESHOLD: '0',
        PIPEWRIGHT_BREAKER_RESET_TIMEOUT: 'later',
        PIPEWRIGHT_BREAKER_OVERRIDES: JSON.stringify({
          'database:nope': { timeout: '1s' },
          'https://api.example.com/v1': {},
          'database:warehouse': { volumeThreshold: -1, extra: true },
        }),
      });
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ConfigError);
    expect((error as ConfigError).problems).toEqual([
      'PIPEWRIGHT_BREAKER_ERROR_THRESHOLD: errorThresholdPercentage must be between 1 and 99',
      expect.stringMatching(/^PIPEWRIGHT_BREAKER_RESET_TIMEOUT: resetTimeout: expected a duration/),
      'PIPEWRIGHT_BREAKER_OVERRIDES["database:nope"]: no DATABASE_URL_NOPE is set (named connections: warehouse)',
      'PIPEWRIGHT_BREAKER_OVERRIDES["https://api.example.com/v1"]: an HTTP resource is an origin (scheme, host and port) without path, query or user',
      'PIPEWRIGHT_BREAKER_OVERRIDES["database:warehouse"].volumeThreshold: volumeThreshold must be between 0 and 1000000',
      expect.stringContaining('PIPEWRIGHT_BREAKER_OVERRIDES["database:warehouse"]: Unrecognized key'),
    ]);
    expect(() => loadConfig({ PIPEWRIGHT_BREAKER_OVERRIDES: '{nope' })).toThrow(
      /PIPEWRIGHT_BREAKER_OVERRIDES: not JSON/,
    );
    expect(() => loadConfig({ REDIS_URL: 'http://x' })).toThrow(/REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/);
  });
});
