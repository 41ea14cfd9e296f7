/** Bad cache settings are refused: in a definition at validation, with their path; in the environment by loadConfig. */
import { ConfigError, loadConfig } from '../../../src/platform/config/config';
import { planChains } from '../../../src/model/fusion';
import type { Problem } from '../../../src/model/problems';
import { validateDefinition } from '../../../src/model/validate';
import { NodeTypes } from '../../../src/nodes/node-types';

const catalog = new NodeTypes().catalog();
const problemsOf = (nodes: unknown[]): Problem[] => {
  const r = validateDefinition({ name: 'p', nodes }, { catalog });
  return r.ok ? [] : [...r.problems];
};
const src = { id: 'src', type: 'source.csv', params: { path: 'x.csv' } };
const lookup = (params: Record<string, unknown>) => ({
  id: 'enrich',
  type: 'transform.lookup',
  needs: ['src'],
  params,
});

test('a node cache with a bad or missing ttl, an empty key or an unknown field is refused with its path', () => {
  expect(problemsOf([{ id: 'a', type: 'noop', cache: { ttl: 'soon' } }])).toEqual([
    { path: 'nodes[0].cache.ttl', message: expect.stringMatching(/expected a duration/) },
  ]);
  expect(problemsOf([{ id: 'a', type: 'noop', cache: { ttl: 0 } }])).toEqual([
    { path: 'nodes[0].cache.ttl', message: 'ttl must be longer than 0' },
  ]);
  expect(problemsOf([{ id: 'a', type: 'noop', cache: {} }])).toEqual([
    { path: 'nodes[0].cache.ttl', message: 'ttl is required: how long the output is reused, e.g. "1h"' },
  ]);
  expect(problemsOf([{ id: 'a', type: 'noop', cache: { ttl: '1h', key: '', tll: 1 } }])).toEqual(
    expect.arrayContaining([
      { path: 'nodes[0].cache.key', message: 'key must not be empty' },
      { path: 'nodes[0].cache', message: expect.stringMatching(/Unrecognized key.*tll/) },
    ]),
  );
  expect(problemsOf([{ id: 'a', type: 'noop', cache: { ttl: '1h', key: 'v2' } }])).toEqual([]);
});

test('transform.lookup params are checked with their paths', () => {
  expect(problemsOf([src, lookup({ table: 'dim', on: 'c' })])).toEqual([
    { path: 'nodes[1].params.key', message: '`key` names the table column to look up by' },
  ]);
  expect(problemsOf([src, lookup({ table: 'dim', key: 'id', ttl: 'later' })])).toEqual([
    { path: 'nodes[1].params.ttl', message: expect.stringMatching(/expected a duration/) },
  ]);
  expect(problemsOf([src, lookup({ table: 'dim', key: 'id', ttl: 0 })])).toEqual([
    { path: 'nodes[1].params.ttl', message: 'ttl must be longer than 0' },
  ]);
  expect(problemsOf([src, lookup({ table: 'bad name', key: 'id' })])).toEqual([
    expect.objectContaining({ path: 'nodes[1].params.table' }),
  ]);
  expect(problemsOf([src, lookup({ table: 'dim', loader: 'fn', key: 'id' })])).toEqual(
    expect.arrayContaining([
      { path: 'nodes[1].params', message: expect.stringMatching(/exactly one of `table`.*or `loader`/) },
    ]),
  );
  expect(problemsOf([src, lookup({ loader: 'fn', on: 'c', missing: 'ignore' })])).toEqual([
    expect.objectContaining({ path: 'nodes[1].params.missing' }),
  ]);
  expect(problemsOf([src, lookup({ loader: 'fn', on: 'c', prefix: '9x' })])).toEqual([
    expect.objectContaining({ path: 'nodes[1].params.prefix' }),
  ]);
  expect(
    problemsOf([src, lookup({ table: 'public.dim', key: 'id', on: 'dim_id', columns: ['name'], ttl: '10m' })]),
  ).toEqual([]);
  expect(problemsOf([{ ...lookup({ loader: 'fn', on: 'c' }), needs: [] }])).toEqual([
    expect.objectContaining({ path: 'nodes[0].needs', message: expect.stringMatching(/exactly one upstream node/) }),
  ]);
});

test('a memoized node is never fused, so its output is a table of its own', () => {
  const nodes = [
    { id: 'a', type: 'source.csv', needs: [] },
    { id: 'b', type: 'transform.map', needs: ['a'], cache: { ttl: '1h' } },
    { id: 'c', type: 'transform.lookup', needs: ['b'] },
    { id: 'd', type: 'sink.postgres', needs: ['c'] },
  ];
  expect(planChains(nodes)).toEqual([['c', 'd']]);
  expect(planChains(nodes.map(({ cache: _, ...n }) => n))).toEqual([['a', 'b', 'c', 'd']]);
});

test('cache settings come from the environment; a bad value names its variable', () => {
  const c = loadConfig({
    PIPEWRIGHT_CACHE_TTL: '2m',
    PIPEWRIGHT_CACHE_TTL_LOOKUP: '10m',
    PIPEWRIGHT_CACHE_L1_MAX_BYTES: '16mb',
    PIPEWRIGHT_CACHE_PREFIX: 'prod',
  });
  expect(c.redis.url).toBe('redis://127.0.0.1:6379');
  expect(c.cache).toMatchObject({
    redisUrl: 'redis://127.0.0.1:6379',
    prefix: 'prod',
    defaults: { ttlMs: 120_000, jitter: 0.1, l1MaxEntries: 100_000, l1MaxBytes: 16 * 1024 * 1024 },
    namespaces: { lookup: { ttlMs: 600_000 } },
    commandTimeoutMs: 500,
    memoGraceMs: 3_600_000,
  });
  expect(loadConfig({ PIPEWRIGHT_CACHE_L2: 'false' }).cache.redisUrl).toBeUndefined();
  const bad = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
    throw new Error('accepted');
  };
  expect(bad({ REDIS_URL: 'http://x' })).toContain('REDIS_URL: expected a redis:// or rediss:// URL');
  expect(bad({ PIPEWRIGHT_CACHE_JITTER: '2' })).toContain('PIPEWRIGHT_CACHE_JITTER');
  expect(bad({ PIPEWRIGHT_CACHE_TTL: '0s' })).toContain('PIPEWRIGHT_CACHE_TTL: must be longer than 0');
  expect(bad({ PIPEWRIGHT_CACHE_TTL_MEMO: 'forever' })).toContain('PIPEWRIGHT_CACHE_TTL_MEMO: expected a duration');
  expect(bad({ PIPEWRIGHT_CACHE_L1_MAX_BYTES: 'lots' })).toContain('PIPEWRIGHT_CACHE_L1_MAX_BYTES: expected a size');
  expect(bad({ PIPEWRIGHT_CACHE_PREFIX: 'a b' })).toContain('PIPEWRIGHT_CACHE_PREFIX');
});
