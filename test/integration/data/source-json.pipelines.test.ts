/**
 * source.json in real pipelines: the public movies.json (an array with nulls and mixed types) loads identical to a
 * reference load of the same file by Postgres itself (jsonb_array_elements), columns inferred; generated files with
 * nested values, nulls and values that do not fit; a truncated file fails non-retryably naming the node, the file and
 * the byte offset, with nothing in the target; and source.ndjson given a JSON array says to use source.json.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import { quoteIdent } from '../../../src/model/identifiers';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('json')));
afterAll(async () => env?.close());

const MOVIES = path.join(__dirname, '../../../node_modules/vega-datasets/data/movies.json');

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;

test('movies.json loads identical to Postgres reading the same file, with the columns inferred', async () => {
  const table = `${env.db.schema}.movies`;
  const result = await run({
    name: 'movies',
    nodes: [
      { id: 'movies', type: 'source.json', params: { path: MOVIES, inferRecords: 10_000 } },
      { id: 'load', type: 'sink.postgres', needs: ['movies'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  const out = nodeOf(result.status, 'movies').output;
  expect(out?.stats).toMatchObject({ rowsRead: 3201, rowsRejected: 0 });
  expect((out?.value as { renamedKeys: Record<string, string> }).renamedKeys).toMatchObject({
    'US Gross': 'us_gross',
    'IMDB Rating': 'imdb_rating',
  });
  const columns = await env.db.rows<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  // Titles are strings and 9 numbers (mixed: text); ratings integers and decimals (numeric); worldwide grosses past int4.
  expect(Object.fromEntries(columns.map((c) => [c.name, c.type]))).toEqual({
    title: 'text',
    us_gross: 'integer',
    worldwide_gross: 'bigint',
    us_dvd_sales: 'integer',
    production_budget: 'integer',
    release_date: 'text',
    mpaa_rating: 'text',
    running_time_min: 'integer',
    distributor: 'text',
    source: 'text',
    major_genre: 'text',
    creative_type: 'text',
    director: 'text',
    rotten_tomatoes_rating: 'integer',
    imdb_rating: 'numeric',
    imdb_votes: 'integer',
  });

  // The reference: Postgres parses the file's text itself; each key cast to the same column type.
  const keys = JSON.parse(fs.readFileSync(MOVIES, 'utf8').slice(0, 2000).split('\n')[1]!.replace(/,\s*$/, ''));
  const names = columns.map((c) => c.name);
  const ref = `${env.db.schema}.movies_ref`;
  await env.db.pool.query(`CREATE TABLE ${ref} (${columns.map((c) => `${quoteIdent(c.name)} ${c.type}`).join(', ')})`);
  const select = Object.keys(keys as object)
    .map((k, i) => `(e->>${`'${k.replace(/'/g, "''")}'`})::${columns[i]!.type}`)
    .join(', ');
  await env.db.pool.query(`INSERT INTO ${ref} SELECT ${select} FROM jsonb_array_elements($1::jsonb) e`, [
    fs.readFileSync(MOVIES, 'utf8'),
  ]);
  const expected = await tableChecksum(env.db.pool, ref, names);
  expect(expected.count).toBe(3201);
  expect(expected.nulls.us_dvd_sales).toBe(2637);
  expect(await tableChecksum(env.db.pool, table, names)).toEqual(expected);
});

test('a generated file: nested values, nulls, long numbers, keys at a path; values that do not fit are rejects', async () => {
  const records = [
    { id: 1, name: 'a', tags: ['x', { y: null }], price: 1.5, big: 'BIG', ok: true, day: '2024-01-02' },
    { id: 2, name: null, tags: null, price: null, big: null, ok: null, day: null },
    { id: 3, name: 'tab\there', price: 2, ok: false, day: '2024-02-29', extra: 'ignored' },
    { id: 'four', name: 4, tags: 'plain', price: 'x', big: 1, ok: true, day: '2024-13-01' },
  ];
  const file = env.file(
    'gen.json',
    // A number past a double's precision, written into the text as its digits.
    JSON.stringify({ meta: { n: 4 }, data: { items: records } }, null, 2).replace('"BIG"', '12345678901234567890'),
  );
  const table = `${env.db.schema}.gen`;
  const columns = [
    { name: 'id', type: 'int' },
    { name: 'name', type: 'text' },
    { name: 'tags', type: 'json' },
    { name: 'price', type: 'numeric' },
    { name: 'big', type: 'numeric' },
    { name: 'ok', type: 'bool' },
    { name: 'day', type: 'date' },
  ];
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'gen-json',
    nodes: [
      { id: 'read', type: 'source.json', params: { path: file, records: 'data.items', columns, maxRejects: 1 } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
    ],
  });
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 4, rowsRejected: 1 });
  expect(
    await env.db.rows(`SELECT id, name, tags::text, price::text, big::text, ok, day::text FROM ${table} ORDER BY id`),
  ).toEqual([
    {
      id: 1,
      name: 'a',
      tags: '["x", {"y": null}]',
      price: '1.5',
      big: '12345678901234567890',
      ok: true,
      day: '2024-01-02',
    },
    { id: 2, name: null, tags: null, price: null, big: null, ok: null, day: null },
    { id: 3, name: 'tab\there', tags: null, price: '2', big: null, ok: false, day: '2024-02-29' },
  ]);
  const [reject] = await env.db.rejects(handle.workflowId);
  expect(reject?.reason).toMatch(/column id: not an integer/);
  expect(reject?.lineNo).toBeGreaterThan(1);
});

test('a truncated file fails non-retryably naming the node, the file and the byte offset; the target stays empty', async () => {
  const lines = Array.from({ length: 3000 }, (_, i) => JSON.stringify({ id: i, name: `n${i}` }));
  const text = `[${lines.join(',\n')}]`;
  const file = env.file('cut.json', text.slice(0, Math.floor(text.length * 0.8)));
  const table = `${env.db.schema}.cut`;
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'cut-json',
    defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
    nodes: [
      { id: 'read', type: 'source.json', params: { path: file } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['read'],
        params: { table, createTable: true, batchRows: 500, atomic: true },
      },
    ],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(
    new RegExp(
      `read: InputFileError: node "read": input file ${file}: is not a JSON document with an array of records: at byte \\d+: the file ends inside`,
    ),
  );
  const status = (await handle.query('status')) as PipelineResult['status'];
  expect(nodeOf(status, 'read')).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  const exists = await env.db.rows(`SELECT to_regclass($1) AS t`, [table]);
  const loaded = exists[0]?.t ? await env.db.rows(`SELECT count(*)::int AS n FROM ${table}`) : [{ n: 0 }];
  expect(loaded[0]?.n).toBe(0);
});

test('source.ndjson given a JSON array fails at once, saying to use source.json', async () => {
  const file = env.file('array.json', '[\n{"id": 1},\n{"id": 2}\n]\n');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'ndjson-array',
    nodes: [{ id: 'read', type: 'source.ndjson', params: { path: file, columns: [{ name: 'id', type: 'int' }] } }],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain(`node "read": input file ${file}: NDJSON line 1: the file starts with "["`);
  expect(failure.message).toContain('read it with source.json');
});
