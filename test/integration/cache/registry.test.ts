/**
 * The definitions registry on real Postgres, the shared Redis (this file's own key prefix) and the real Temporal
 * server: publish, start by reference (client and CLI), loads served from the worker's cache, a new version
 * invalidating `latest` in the worker through pub/sub, a run keeping its version across continue-as-new, a
 * reference that names nothing, and `pipewright graph` of a published definition and of a run by reference.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCache, type TwoLevelCache } from '../../../src/platform/cache';
import { runCli } from '../../../src/cli/cli';
import { PipewrightClient } from '../../../src/client/client';
import { InvalidDefinitionError } from '../../../src/model/errors';
import {
  createDefinitionRegistry,
  DefinitionConflictError,
  type DefinitionRegistry,
} from '../../../src/platform/registry';
import { createTestData, type TestData } from '../../helpers/data';
import { dropPrefix, SHARED_REDIS_URL, testPrefix } from '../../helpers/redis';
import { connectHarness, uniqueId, type TemporalHarness } from '../../helpers/temporal';

const prefix = testPrefix('registry');
const quiet = { warn: () => undefined, info: () => undefined };
let h: TemporalHarness;
let db: TestData;
let workerCache: TwoLevelCache;
let publisherCache: TwoLevelCache;
let registry: DefinitionRegistry;
let client: PipewrightClient;
let dir: string;

const name = `reg-${Math.random().toString(36).slice(2, 8)}`;
const v1 = { name, version: 1, nodes: [{ id: 'a', type: 'sleep', params: { duration: '50ms' } }] };
const v2 = {
  name,
  version: '2',
  nodes: [
    { id: 'a', type: 'noop' },
    { id: 'b', type: 'noop', needs: ['a'] },
  ],
};

beforeAll(async () => {
  workerCache = createCache({ redisUrl: SHARED_REDIS_URL, prefix, log: quiet });
  publisherCache = createCache({ redisUrl: SHARED_REDIS_URL, prefix, log: quiet });
  expect(await workerCache.connect()).toBe(true);
  expect(await publisherCache.connect()).toBe(true);
  db = await createTestData('registry', {}, { cache: workerCache });
  registry = createDefinitionRegistry({ pool: db.pool, schema: db.schema, cache: publisherCache });
  h = await connectHarness('registry');
  await h.startWorker([], { data: db.services });
  client = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-registry-'));
});

afterAll(async () => {
  await h?.close();
  await db?.drop();
  await workerCache?.close();
  await publisherCache?.close();
  await dropPrefix(prefix);
  fs.rmSync(dir, { recursive: true, force: true });
});

const definitions = () => workerCache.namespace('definitions').stats();
const until = async (what: string, check: () => boolean): Promise<void> => {
  const deadline = Date.now() + 3_000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
};

test('publish, start by reference, loads cached in the worker; a new version invalidates latest everywhere', async () => {
  expect(await registry.publish(v1)).toMatchObject({ ref: `${name}@1`, status: 'published' });
  expect(await registry.publish({ ...v1, nodes: [...v1.nodes] })).toMatchObject({ status: 'unchanged' });
  await expect(registry.publish({ ...v1, description: 'changed' })).rejects.toThrow(DefinitionConflictError);
  await expect(registry.publish({ name, version: 'latest', nodes: v1.nodes })).rejects.toThrow(InvalidDefinitionError);

  const first = await client.startReference(`${name}@1`);
  expect(first.pipeline).toEqual({ name, version: '1' });
  const done1 = await client.result(first.workflowId);
  expect(done1.outcome).toBe('completed');
  expect(done1.status?.pipeline).toEqual({ name, version: '1' });
  expect(definitions()).toMatchObject({ loads: 1, l1: { hits: 0 } });

  // The same reference again: the worker's L1 answers, Postgres is not asked.
  expect((await client.result((await client.startReference(`${name}@1`)).workflowId)).outcome).toBe('completed');
  expect(definitions()).toMatchObject({ loads: 1, l1: { hits: 1 } });

  const latest1 = await client.result((await client.startReference(`${name}@latest`)).workflowId);
  expect(latest1.status?.pipeline.version).toBe('1');
  expect(definitions().loads).toBe(2);

  // Publishing version 2 elsewhere (another process's cache) reaches the worker's L1 through pub/sub.
  const invalidationsBefore = definitions().invalidations;
  expect(await registry.publish(v2)).toMatchObject({ ref: `${name}@2`, status: 'published' });
  await until('the worker to drop its cached definitions', () => definitions().invalidations > invalidationsBefore);
  const latest2 = await client.result((await client.startReference(`${name}@latest`)).workflowId);
  expect(latest2.outcome).toBe('completed');
  expect(latest2.status?.pipeline.version).toBe('2');
  expect(latest2.status?.nodes.map((n) => n.id)).toEqual(['a', 'b']);
  expect((await registry.list(name)).map((d) => [d.version, d.latest])).toEqual([
    ['2', true],
    ['1', false],
  ]);
});

test('a run by reference keeps the version it loaded across continue-as-new, though latest moves on', async () => {
  const chain = Array.from({ length: 8 }, (_, i) => ({
    id: `n${i}`,
    type: i === 0 ? 'sleep' : 'noop',
    params: i === 0 ? { duration: '500ms' } : {},
    needs: i === 0 ? [] : [`n${i - 1}`],
  }));
  await registry.publish({ name, version: '3', nodes: chain });
  const run = await client.startReference(`${name}@latest`, { historyEventLimit: 20 });
  const deadline = Date.now() + 5_000;
  for (;;) {
    const status = await client.status(run.workflowId).catch(() => undefined);
    if (status?.nodes[0]?.state === 'running') break;
    if (Date.now() > deadline) throw new Error('the run did not start n0');
    await new Promise((r) => setTimeout(r, 20));
  }
  // Version 4 (other nodes) is published while version 3 runs; the run must not switch.
  await registry.publish({ name, version: '4', nodes: [{ id: 'other', type: 'noop' }] });
  const outcome = await client.result(run.workflowId);
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.generation).toBeGreaterThan(1);
  expect(outcome.status?.pipeline.version).toBe('3');
  expect(outcome.status?.nodes.map((n) => n.state)).toEqual(Array(8).fill('succeeded'));
});

test('a reference that names nothing fails the run non-retryably, listing the published versions', async () => {
  const run = await client.startReference(`${name}@99`);
  const outcome = await client.result(run.workflowId);
  expect(outcome.outcome).toBe('failed');
  expect(outcome.message).toContain(`no published definition ${name}@99 (published versions: 4, 3, 2, 1)`);
});

test('the CLI publishes a file and runs it by reference; an unknown reference exits 2 and starts nothing', async () => {
  const file = path.join(dir, 'cli.json');
  const cliName = `${name}-cli`;
  fs.writeFileSync(file, JSON.stringify({ name: cliName, version: '7', nodes: [{ id: 'only', type: 'noop' }] }));
  const env = {
    ...process.env,
    TEMPORAL_ADDRESS: h.address,
    PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
    PIPEWRIGHT_DB_SCHEMA: db.schema,
    PIPEWRIGHT_CACHE_PREFIX: prefix,
    REDIS_URL: SHARED_REDIS_URL,
    PIPEWRIGHT_UI_BASE: '',
  };
  const cli = async (...args: string[]) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['node', 'pipewright', ...args],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      env,
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  expect(await cli('publish', file)).toMatchObject({ code: 0, out: `published ${cliName}@7` });
  expect(await cli('publish', file)).toMatchObject({
    code: 0,
    out: `${cliName}@7 is already published with the same content; nothing changed`,
  });
  const runKey = uniqueId('k');
  const ran = await cli('run', `${cliName}@latest`, '--run-key', runKey);
  expect(ran.code).toBe(0);
  expect(ran.out).toContain(`started ${cliName}--${runKey}`);
  expect((await client.describe(`${cliName}--${runKey}`)).version).toBe('7');
  const listed = await cli('definitions', cliName);
  expect(listed.out).toMatch(new RegExp(`${cliName}@7\\s+latest`));
  const missing = await cli('start', `${cliName}@8`);
  expect(missing.code).toBe(2);
  expect(missing.err).toContain(`no published definition ${cliName}@8 (published versions: 7)`);
});

test('the CLI draws a published definition, and a run by reference with the chains of the version it ran', async () => {
  const input = path.join(dir, 'graph-in.csv');
  fs.writeFileSync(input, 'n\n1\n2\n');
  const graphName = `${name}-graph`;
  await registry.publish({
    name: graphName,
    version: '1',
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: input, columns: [{ name: 'n', type: 'int' }] } },
      { id: 'write', type: 'sink.file', needs: ['read'], params: { path: path.join(dir, 'graph-out.csv') } },
      { id: 'done', type: 'noop', needs: ['write'] },
    ],
  });
  const env = { ...process.env, TEMPORAL_ADDRESS: h.address, PIPEWRIGHT_TASK_QUEUE: h.taskQueue };
  const graph = async (target: string) => {
    const out: string[] = [];
    const err: string[] = [];
    const code = await runCli(
      ['node', 'pipewright', 'graph', target, '--format', 'dot'],
      { out: (t) => out.push(t), err: (t) => err.push(t) },
      { ...env, PIPEWRIGHT_DB_SCHEMA: db.schema },
    );
    return { code, out: out.join('\n'), err: err.join('\n') };
  };
  const published = await graph(`${graphName}@1`);
  expect(published).toMatchObject({ code: 0, err: '' });
  expect(published.out).toContain(`digraph "${graphName}@1" {`);
  expect(published.out).toContain('subgraph cluster_chain_1 {\n    label="fused: read → write";');

  const run = await client.startReference(`${graphName}@1`);
  expect((await client.result(run.workflowId)).outcome).toBe('completed');
  const ran = await graph(run.workflowId);
  expect(ran).toMatchObject({ code: 0, err: '' });
  expect(ran.out).toContain('subgraph cluster_chain_1 {\n    label="fused: read → write";');
  expect(ran.out).toMatch(
    /"write" \[label="write\\nsink.file\\nsucceeded · 1 attempt · [^"]*\\n2 rows, [^"]*", fillcolor="#dcfce7"/,
  );
});
