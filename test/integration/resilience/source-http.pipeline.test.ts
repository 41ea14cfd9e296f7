/**
 * `source.http` in real pipelines (real Temporal server and Postgres): fused with a load into a table, and alone
 * writing a staging table that a `transform.sql` reads. A server that answers 503 twice before recovering is
 * retried (HttpUnavailable is retryable), and the load still holds each record once.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createTestData, type TestData } from '../../helpers/data';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

const PAGES = 5;
const PER_PAGE = 40;
let h: TemporalHarness;
let db: TestData;
let server: http.Server;
let base: string;
let unavailable = 0;

beforeAll(async () => {
  server = http.createServer((req, res) => {
    const url = new URL(req.url ?? '/', base);
    if (unavailable > 0) {
      unavailable--;
      res.writeHead(503);
      res.end();
      return;
    }
    const page = Number(url.searchParams.get('page') ?? '1');
    const items =
      page <= PAGES
        ? Array.from({ length: PER_PAGE }, (_, i) => ({ id: (page - 1) * PER_PAGE + i + 1, city: `c${i % 7}` }))
        : [];
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ data: items }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  db = await createTestData('http');
  h = await connectHarness('source-http');
  await h.startWorker([], { data: db.services });
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
  await new Promise((resolve) => server?.close(resolve));
});

/** The source node; the server's address is known only once it listens. */
const withBase = () => ({
  id: 'api',
  type: 'source.http',
  params: {
    url: `${base}/items`,
    records: 'data',
    columns: [
      { name: 'id', type: 'int' },
      { name: 'city', type: 'text' },
    ],
    pagination: { type: 'page', size: PER_PAGE },
  },
});

test('source.http -> sink.postgres, fused: every record loaded once, after two 503s are retried', async () => {
  unavailable = 2;
  const table = `${db.schema}.from_api`;
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'http-load',
    defaults: { retry: { initialInterval: '50ms', maximumInterval: '200ms', maximumAttempts: 5, jitter: 0.5 } },
    nodes: [
      withBase(),
      { id: 'load', type: 'sink.postgres', needs: ['api'], params: { table, createTable: true, batchRows: 64 } },
    ],
  });
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'load').attempts).toBe(3);
  // The last full page cannot tell it is the last: one more (empty) page ends the walk.
  expect(nodeOf(result.status, 'api').output?.stats).toMatchObject({ rowsRead: PAGES * PER_PAGE, pages: PAGES + 1 });
  const [row] = await db.rows<{ n: number; ids: number }>(
    `SELECT count(*)::int AS n, count(DISTINCT id)::int AS ids FROM ${table}`,
  );
  expect(row).toEqual({ n: PAGES * PER_PAGE, ids: PAGES * PER_PAGE });
});

test('source.http alone writes a staging table that transform.sql aggregates', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'http-sql',
    nodes: [
      withBase(),
      {
        id: 'by_city',
        type: 'transform.sql',
        needs: ['api'],
        params: { sql: 'SELECT city, count(*)::int AS n FROM {{ inputs.api }} GROUP BY city' },
      },
    ],
  });
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'api').output?.dataset).toMatchObject({ kind: 'table', rows: PAGES * PER_PAGE });
  expect(nodeOf(result.status, 'by_city').output?.dataset).toMatchObject({ kind: 'table', rows: 7 });
});
