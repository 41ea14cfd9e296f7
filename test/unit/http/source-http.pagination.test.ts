/**
 * `source.http` against a local node:http server started by the test: next-link (body and Link header) and
 * page-number pagination, records path and columns, per-page heartbeats, per-request timeout, the origin's
 * breaker, the response cache, and responses that are not what the node expects.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createDataServices, type DataServices } from '../../../src/data/services';
import type { ResponseCache } from '../../../src/platform/http/response-cache';
import type { DataNodeContext } from '../../../src/nodes/node-type';
import { sourceHttp } from '../../../src/nodes/data/source-http';
import { SourceHttpParams } from '../../../src/model/nodes/source-http';
import { createBreakers, type Breakers } from '../../../src/platform/resilience/breakers';
import { CircuitOpenError } from '../../../src/platform/resilience/errors';
import type { FieldValue } from '../../../src/model/columns/columns';

type Handler = (req: http.IncomingMessage, res: http.ServerResponse, url: URL) => void;
let handler: Handler;
const requests: string[] = [];
let server: http.Server;
let base: string;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    requests.push(`${url.pathname}${url.search}`);
    handler(req, res, url);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise((resolve) => server.close(resolve)));

let breakers: Breakers;
let data: DataServices;
beforeEach(() => {
  requests.length = 0;
  breakers = createBreakers({
    defaults: {
      timeoutMs: 2_000,
      errorThresholdPercentage: 50,
      volumeThreshold: 3,
      resetTimeoutMs: 60_000,
      rollingWindowMs: 10_000,
    },
  });
  data = createDataServices({ url: 'postgres://unused@127.0.0.1:1/none', breakers });
});
afterEach(async () => {
  await data.close();
  await breakers.close();
});

const json = (res: http.ServerResponse, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(200, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
};

/** Runs the source with `params` and returns its rows, stats and heartbeat count. */
async function read(params: Record<string, unknown>, over: { data?: DataServices } = {}) {
  let heartbeats = 0;
  const ctx = {
    workflowId: 'wf',
    runId: 'run',
    pipeline: { name: 'p', version: '1' },
    nodeId: 'api',
    params: SourceHttpParams.parse(params),
    inputs: {},
    attempt: 1,
    checkpoint: undefined,
    signal: new AbortController().signal,
    heartbeat: () => void heartbeats++,
    progress: () => undefined,
    sleep: (ms: number) => new Promise<void>((r) => setTimeout(r, ms)),
    log: { info: () => undefined, warn: () => undefined },
    data: over.data ?? data,
  } satisfies DataNodeContext<SourceHttpParams>;
  const source = await sourceHttp.stages!.openSource!(ctx);
  const rows: FieldValue[][] = [];
  const lines: number[] = [];
  const rejects: string[] = [];
  try {
    for await (const chunk of source.chunks) {
      rows.push(...chunk.rows);
      lines.push(...chunk.lineNos);
      rejects.push(...chunk.rejects.map((r) => `${r.lineNo}: ${r.reason}`));
    }
  } finally {
    await source.close();
  }
  return { rows, lines, rejects, stats: source.stats(), heartbeats };
}

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
];

test('next-link in the body (relative URLs), records at a path: every page in order, a heartbeat per page', async () => {
  handler = (_req, res, url) => {
    const page = Number(url.searchParams.get('cursor') ?? '0');
    const items = [0, 1].map((i) => ({ id: page * 2 + i + 1, name: `n${page * 2 + i + 1}`, extra: true }));
    json(res, { data: { items }, links: { next: page < 2 ? `/items?cursor=${page + 1}` : null } });
  };
  const out = await read({
    url: `${base}/items`,
    records: 'data.items',
    columns,
    pagination: { type: 'next-link', next: 'links.next' },
  });
  expect(out.rows).toEqual([1, 2, 3, 4, 5, 6].map((i) => [String(i), `n${i}`]));
  expect(out.lines).toEqual([1, 2, 3, 4, 5, 6]);
  expect(requests).toEqual(['/items', '/items?cursor=1', '/items?cursor=2']);
  expect(out.heartbeats).toBe(3);
  expect(out.stats).toEqual({ rowsRead: 6, rowsRejected: 0, rows: 6, pages: 3 });
});

test('next-link from the Link header, records at the top level', async () => {
  handler = (_req, res, url) => {
    const page = Number(url.searchParams.get('p') ?? '1');
    const link =
      page < 3 ? `<${base}/v?p=${page + 1}>; rel="next", <${base}/v?p=3>; rel="last"` : `<${base}/v?p=1>; rel="first"`;
    json(res, [{ id: page, name: null }], { link });
  };
  const out = await read({ url: `${base}/v`, columns, pagination: { type: 'next-link' } });
  expect(out.rows).toEqual([
    ['1', null],
    ['2', null],
    ['3', null],
  ]);
  expect(requests).toEqual(['/v', '/v?p=2', '/v?p=3']);
});

test('page numbers with a size: a short page is the last', async () => {
  handler = (_req, res, url) => {
    const page = Number(url.searchParams.get('page'));
    const size = Number(url.searchParams.get('per_page'));
    const all = Array.from({ length: 7 }, (_, i) => ({ id: i + 1, name: `x${i + 1}` }));
    json(res, { results: all.slice((page - 1) * size, page * size) });
  };
  const out = await read({
    url: `${base}/things?sort=id`,
    records: 'results',
    columns,
    pagination: { type: 'page', size: 3, sizeParam: 'per_page' },
  });
  expect(out.rows.map((r) => r[0])).toEqual(['1', '2', '3', '4', '5', '6', '7']);
  expect(requests).toEqual([
    '/things?sort=id&page=1&per_page=3',
    '/things?sort=id&page=2&per_page=3',
    '/things?sort=id&page=3&per_page=3',
  ]);
  expect(out.heartbeats).toBe(3);
});

test('page numbers without a size: an empty page is the last; start and param are configurable', async () => {
  handler = (_req, res, url) => {
    const n = Number(url.searchParams.get('pg'));
    json(res, n < 2 ? [{ id: n, name: 'a' }] : []);
  };
  const out = await read({ url: `${base}/p`, columns, pagination: { type: 'page', param: 'pg', start: 0 } });
  expect(out.rows.map((r) => r[0])).toEqual(['0', '1']);
  expect(requests).toEqual(['/p?pg=0', '/p?pg=1', '/p?pg=2']);
});

test('records that do not fit the columns are rejects with their record number; maxRejects decides', async () => {
  handler = (_req, res) =>
    json(res, [{ id: 1, name: 'ok' }, { id: 'x', name: 'bad id' }, 'not an object', { id: 4, name: { a: 1 } }]);
  const out = await read({ url: `${base}/r`, columns, maxRejects: 5 });
  expect(out.rows).toEqual([['1', 'ok']]);
  expect(out.rejects).toEqual([
    expect.stringMatching(/^2: column id/),
    '3: expected a JSON object, found a string',
    '4: column name: expected a scalar, found an object',
  ]);
  await expect(read({ url: `${base}/r`, columns })).rejects.toMatchObject({ name: 'TooManyRejects' });
});

test('a request slower than the per-request timeout fails as a timeout', async () => {
  handler = (_req, res) => void setTimeout(() => json(res, []), 1_000);
  const started = Date.now();
  await expect(read({ url: `${base}/slow`, columns, timeout: '150ms' })).rejects.toMatchObject({ name: 'Timeout' });
  expect(Date.now() - started).toBeLessThan(900);
});

test("server errors count against the origin's breaker; once open it refuses without a request", async () => {
  handler = (_req, res) => {
    res.writeHead(503, { 'retry-after': '2' });
    res.end('down');
  };
  for (let i = 0; i < 3; i++)
    await expect(read({ url: `${base}/down`, columns })).rejects.toMatchObject({
      name: 'HttpStatusError',
      status: 503,
      retryAfterMs: 2_000,
    });
  expect(breakers.get(base).state()).toBe('open');
  const err = await read({ url: `${base}/down?again`, columns }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CircuitOpenError);
  expect((err as CircuitOpenError).resource).toBe(base);
  expect(requests).toHaveLength(3);
});

test('a 404 is not a breaker failure (the server answered) and is not retryable', async () => {
  handler = (_req, res) => {
    res.writeHead(404);
    res.end();
  };
  for (let i = 0; i < 5; i++)
    await expect(read({ url: `${base}/gone`, columns })).rejects.toMatchObject({ status: 404 });
  expect(breakers.get(base).state()).toBe('closed');
});

test('responses come from the cache when the node asks for it and the worker has one', async () => {
  const store = new Map<string, { value: unknown; ttlMs: number }>();
  const cache: ResponseCache = {
    get: async (key) => store.get(key)?.value,
    set: async (key, value, ttlMs) => void store.set(key, { value, ttlMs }),
  };
  const cached = createDataServices({ url: 'postgres://unused@127.0.0.1:1/none', breakers, responseCache: cache });
  handler = (_req, res, url) => {
    const page = Number(url.searchParams.get('page'));
    json(res, page <= 2 ? [{ id: page, name: 'c' }] : []);
  };
  const params = { url: `${base}/c?token=secret`, columns, pagination: { type: 'page' }, cache: { ttl: '5m' } };
  const first = await read(params, { data: cached });
  expect(requests).toHaveLength(3);
  expect([...store.values()].map((v) => v.ttlMs)).toEqual([300_000, 300_000, 300_000]);
  expect([...store.keys()].join()).not.toContain('secret');
  const second = await read(params, { data: cached });
  expect(requests).toHaveLength(3);
  expect(second.rows).toEqual(first.rows);
  expect(second.stats).toMatchObject({ pages: 3, pagesFromCache: 3 });
  // Without `cache` in the params, the node always asks the server.
  await read({ ...params, cache: undefined }, { data: cached });
  expect(requests).toHaveLength(6);
  // A cache that fails is a miss, not a failed node.
  const broken = createDataServices({
    url: 'postgres://unused@127.0.0.1:1/none',
    breakers,
    responseCache: {
      get: () => Promise.reject(new Error('redis down')),
      set: () => Promise.reject(new Error('redis down')),
    },
  });
  await expect(read(params, { data: broken })).resolves.toMatchObject({ stats: { pages: 3, pagesFromCache: 0 } });
  await cached.close();
  await broken.close();
});

test('responses that are not what the node expects fail non-retryably, naming the URL without its query', async () => {
  handler = (_req, res) => {
    res.writeHead(200, { 'content-type': 'text/html' });
    res.end('<html>');
  };
  await expect(read({ url: `${base}/html?key=abc`, columns })).rejects.toMatchObject({
    name: 'HttpResponseError',
    nonRetryable: true,
    message: expect.stringMatching(new RegExp(`^node "api": response from ${base}/html: not JSON`)),
  });
  handler = (_req, res) => json(res, { data: { items: 'none' } });
  await expect(read({ url: `${base}/shape`, columns, records: 'data.items' })).rejects.toThrow(
    'no array of records at "data.items" (found a string)',
  );
  handler = (_req, res) => json(res, { items: [{ id: 1 }], next: '/loop' });
  await expect(
    read({ url: `${base}/loop`, columns, records: 'items', pagination: { type: 'next-link', next: 'next' } }),
  ).rejects.toThrow('the pagination loops');
  handler = (_req, res) =>
    json(res, { items: Array.from({ length: 200 }, (_, i) => ({ id: i, name: 'x'.repeat(20) })) });
  await expect(read({ url: `${base}/big`, columns, records: 'items', maxPageBytes: 2048 })).rejects.toThrow(
    'larger than 2048 bytes',
  );
});

test('params are validated with their paths', () => {
  const r = SourceHttpParams.safeParse({
    url: 'ftp://x',
    columns,
    records: 'a..b',
    pagination: { type: 'page', sizeParam: 'n' },
    timeout: 0,
  });
  expect(r.success).toBe(false);
  const paths = r.success ? [] : r.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`);
  expect(paths).toEqual(
    expect.arrayContaining([
      'url: expected an http:// or https:// URL',
      expect.stringMatching(/^records: expected a path/),
      'pagination.sizeParam: `sizeParam` needs `size`',
      'timeout: timeout must be greater than 0',
    ]),
  );
});
