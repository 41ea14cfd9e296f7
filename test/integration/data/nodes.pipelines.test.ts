/**
 * Every data node type in real pipelines on the real Temporal server and Postgres, each in this file's own
 * schemas: CSV and NDJSON files and a query in; map, filter and SQL in between; a table and files out.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import { createTestData, type TestData } from '../../helpers/data';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

let h: TemporalHarness;
let db: TestData;
let dir: string;

beforeAll(async () => {
  db = await createTestData('nodes', {
    maps: [
      {
        name: 'shout',
        columns: [
          { name: 'id', type: 'int' },
          { name: 'loud', type: 'text' },
        ],
        fn: (row) => ({ id: row.id ?? null, loud: `${row.name ?? ''}!`.toUpperCase() }),
      },
    ],
    filters: { evenId: (row) => Number(row.id) % 2 === 0 },
  });
  h = await connectHarness('data-nodes');
  await h.startWorker([], { data: db.services });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-nodes-'));
  fs.writeFileSync(
    path.join(dir, 'people.csv'),
    '\uFEFFid,name,score,joined\r\n1,"Ada, Countess",9.5,2024-01-02\r\n2,"Bob ""the"" builder",7.25,2024-02-03\r\n' +
      '3,"multi\nline",,2024-03-04\r\n4,Dee,8,2024-04-05\r\n',
  );
  fs.writeFileSync(
    path.join(dir, 'events.ndjson'),
    '{"id": 1, "kind": "click", "at": "2024-01-02T03:04:05Z", "meta": {"x": 1}}\n\n' +
      '{"id": 2, "kind": "view", "at": "2024-01-03T00:00:00Z"}\n',
  );
});
afterAll(async () => {
  await h?.close();
  await db?.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = async (definition: object): Promise<PipelineResult> => {
  const handle = await startPipeline(h.client, h.taskQueue, definition);
  return (await handle.result()) as PipelineResult;
};

const people = () => ({
  id: 'people',
  type: 'source.csv',
  params: {
    path: path.join(dir, 'people.csv'),
    columns: [
      { name: 'id', type: 'int' },
      { name: 'name', type: 'text' },
      { name: 'score', type: 'numeric' },
      { name: 'joined', type: 'date' },
    ],
  },
});

test('source.csv -> transform.map -> transform.filter -> sink.postgres: RFC 4180 values, computed columns, filtered rows', async () => {
  const table = `${db.schema}.people_out`;
  const result = await run({
    name: 'csv-map-filter-load',
    nodes: [
      people(),
      {
        id: 'shape',
        type: 'transform.map',
        needs: ['people'],
        params: {
          defaults: { score: 0 },
          compute: [
            { name: 'double_score', expr: 'score * 2' },
            { name: 'label', expr: "upper(substr(name, 1, 3)) + '-' + to_text(id)" },
          ],
          rename: { joined: 'joined_on' },
        },
      },
      { id: 'keep', type: 'transform.filter', needs: ['shape'], params: { where: 'id != 4' } },
      { id: 'load', type: 'sink.postgres', needs: ['keep'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  const rows = await db.rows(
    `SELECT id, name, score::text, joined_on::text, double_score::text, label FROM ${table} ORDER BY id`,
  );
  expect(rows).toEqual([
    { id: 1, name: 'Ada, Countess', score: '9.5', joined_on: '2024-01-02', double_score: '19.0', label: 'ADA-1' },
    { id: 2, name: 'Bob "the" builder', score: '7.25', joined_on: '2024-02-03', double_score: '14.50', label: 'BOB-2' },
    { id: 3, name: 'multi\nline', score: '0', joined_on: '2024-03-04', double_score: '0', label: 'MUL-3' },
  ]);
  expect(nodeOf(result.status, 'people').output?.stats?.rowsRead).toBe(4);
  expect(nodeOf(result.status, 'keep').output?.stats?.rowsDropped).toBe(1);
  expect(nodeOf(result.status, 'load').output?.stats?.rowsWritten).toBe(3);
});

test('registered map and filter functions by name', async () => {
  const table = `${db.schema}.shouted`;
  const result = await run({
    name: 'registered-fns',
    nodes: [
      people(),
      { id: 'even', type: 'transform.filter', needs: ['people'], params: { fn: 'evenId' } },
      { id: 'shout', type: 'transform.map', needs: ['even'], params: { fn: 'shout' } },
      { id: 'load', type: 'sink.postgres', needs: ['shout'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(await db.rows(`SELECT id, loud FROM ${table} ORDER BY id`)).toEqual([
    { id: 2, loud: 'BOB "THE" BUILDER!' },
    { id: 4, loud: 'DEE!' },
  ]);
});

test('source.ndjson and source.postgres (bound params, cursor batches) joined by transform.sql, out to sink.file', async () => {
  await db.pool.query(`CREATE TABLE ${db.schema}.kinds (kind text PRIMARY KEY, weight int)`);
  await db.pool.query(`INSERT INTO ${db.schema}.kinds VALUES ('click', 3), ('view', 1), ('other', 9)`);
  const csvOut = path.join(dir, 'joined.csv');
  const ndjsonOut = path.join(dir, 'joined.ndjson');
  const result = await run({
    name: 'ndjson-pg-sql-file',
    nodes: [
      {
        id: 'events',
        type: 'source.ndjson',
        params: {
          path: path.join(dir, 'events.ndjson'),
          columns: [
            { name: 'id', type: 'int' },
            { name: 'kind', type: 'text' },
            { name: 'at', type: 'timestamptz' },
            { name: 'meta', type: 'json' },
          ],
        },
      },
      {
        id: 'kinds',
        type: 'source.postgres',
        params: {
          query: `SELECT kind, weight FROM ${db.schema}.kinds WHERE weight < $1 ORDER BY kind`,
          params: [5],
          fetchRows: 1,
        },
      },
      {
        id: 'joined',
        type: 'transform.sql',
        needs: ['events', 'kinds'],
        params: {
          sql: 'SELECT e.id, e.kind, k.weight, e.meta FROM {{ inputs.events }} e JOIN {{ inputs.kinds }} k USING (kind) ORDER BY e.id',
        },
      },
      { id: 'to-csv', type: 'sink.file', needs: ['joined'], params: { path: csvOut } },
      { id: 'to-ndjson', type: 'sink.file', needs: ['joined'], params: { path: ndjsonOut } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'kinds').output?.stats?.rowsRead).toBe(2);
  expect(fs.readFileSync(csvOut, 'utf8')).toBe('id,kind,weight,meta\n1,click,3,"{""x"": 1}"\n2,view,1,\n');
  expect(fs.readFileSync(ndjsonOut, 'utf8')).toBe(
    '{"id":1,"kind":"click","weight":3,"meta":{"x": 1}}\n{"id":2,"kind":"view","weight":1,"meta":null}\n',
  );
});
