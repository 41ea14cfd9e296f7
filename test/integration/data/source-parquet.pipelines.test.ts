/**
 * source.parquet in real pipelines: the public flights-3m.parquet (3M rows, 11 row groups, ZSTD, a non-UTC
 * microsecond timestamp) loads identical to a reference load of the same file read by hyparquet's own conversions and
 * COPYed as CSV; a generated file with every mapped type, NULLs and decimals past a double's precision loads exactly;
 * columns are selected by name; a column with no mapping, a file that is not Parquet and a row group that cannot be
 * decoded fail non-retryably naming node, file (and column), with nothing in an atomic target.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { from as copyFrom } from 'pg-copy-streams';
import { loadHyparquet } from '../../../src/data/formats/parquet-lib';
import { openParquetFileBuffer } from '../../../src/data/formats/parquet-file';
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('parquet')));
afterAll(async () => env?.close());

const FLIGHTS = path.join(__dirname, '../../../node_modules/vega-datasets/data/flights-3m.parquet');
const FIXTURES = path.join(__dirname, '../../helpers/parquet/write-fixtures.mjs');

/** Runs the fixture writer (an ES module script) for `kind`; returns the path of `out` in the scratch folder. */
function fixture(kind: string, out: string, ...args: string[]): string {
  const at = env.path(out);
  execFileSync(process.execPath, [FIXTURES, kind, at, ...args], { stdio: 'inherit' });
  return at;
}

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;

const columnTypes = async (table: string) =>
  Object.fromEntries(
    (
      await env.db.rows<{ name: string; type: string }>(
        `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
         WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
        [table],
      )
    ).map((c) => [c.name, c.type]),
  );

/** The first 300K rows of flights-3m.parquet in three row groups of 100K (the whole file is for `bench:parquet`). */
let flightsSlice: string | undefined;
const FLIGHTS_ROWS = 300_000;
const slice = (): string =>
  (flightsSlice ??= fixture('flights', 'flights-300k.parquet', String(FLIGHTS_ROWS), '100000'));

test('flights-3m.parquet (its first 300K rows) loads identical to a reference load of the same file', async () => {
  const table = `${env.db.schema}.flights`;
  const file = slice();
  const result = await run({
    name: 'flights',
    nodes: [
      { id: 'flights', type: 'source.parquet', params: { path: file } },
      { id: 'load', type: 'sink.postgres', needs: ['flights'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'flights').output?.stats).toMatchObject({ rowsRead: FLIGHTS_ROWS, rowsRejected: 0 });
  expect(await columnTypes(table)).toEqual({
    date: 'timestamp with time zone',
    delay: 'bigint',
    distance: 'bigint',
    origin: 'text',
    destination: 'text',
  });

  const csv = fixture('csv', 'flights.csv', file);
  const ref = `${env.db.schema}.flights_ref`;
  await env.db.pool.query(`CREATE TABLE ${ref} (LIKE ${table})`);
  const client = await env.db.pool.connect();
  try {
    await pipeline(fs.createReadStream(csv), client.query(copyFrom(`COPY ${ref} FROM STDIN (FORMAT csv)`)));
  } finally {
    client.release();
  }
  const names = ['date', 'delay', 'distance', 'origin', 'destination'];
  const expected = await tableChecksum(env.db.pool, ref, names);
  expect(expected.count).toBe(FLIGHTS_ROWS);
  expect(await tableChecksum(env.db.pool, table, names)).toEqual(expected);
}, 600_000);

test('a generated file: every mapped type, NULLs, edge values, decimals exact, timestamps to the microsecond', async () => {
  const file = fixture('types', 'types.parquet');
  const table = `${env.db.schema}.types`;
  const result = await run({
    name: 'types',
    nodes: [
      { id: 'read', type: 'source.parquet', params: { path: file } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  const out = nodeOf(result.status, 'read').output;
  expect(out?.stats).toMatchObject({ rowsRead: 4, rowsRejected: 0 });
  expect(out?.value).toEqual({ renamedColumns: { 'Tags List': 'tags_list' } });
  expect(await columnTypes(table)).toEqual({
    i32: 'integer',
    i16: 'integer',
    u32: 'bigint',
    i64: 'bigint',
    u64: 'numeric',
    f64: 'double precision',
    f32: 'double precision',
    dec: 'numeric',
    dec38: 'numeric',
    s: 'text',
    js: 'jsonb',
    b: 'boolean',
    d: 'date',
    ts_ms: 'timestamp with time zone',
    ts_us: 'timestamp with time zone',
    ts_ns: 'timestamp with time zone',
    tags_list: 'jsonb',
  });
  const rows = await env.db.rows(
    `SELECT i32, i16, u32::text, i64::text, u64::text, f64::text, f32::text, dec::text, dec38::text, s, js::text, b,
       d::text, (ts_ms AT TIME ZONE 'UTC')::text AS ts_ms, (ts_us AT TIME ZONE 'UTC')::text AS ts_us,
       (ts_ns AT TIME ZONE 'UTC')::text AS ts_ns, tags_list::text
     FROM ${table} ORDER BY i32 NULLS LAST`,
  );
  const nulls = Object.fromEntries(Object.keys(rows[0] as object).map((k) => [k, null]));
  expect(rows).toEqual([
    {
      i32: -2147483648,
      i16: -32768,
      u32: '0',
      i64: '-9223372036854775808',
      u64: '0',
      f64: '-0.1',
      f32: '-0.25',
      dec: '-0.0001',
      dec38: '-1234567890123456789.0123456789',
      s: 'tab\there "q" \\ é',
      js: '[1, "x", null]',
      b: false,
      d: '1900-01-01',
      ts_ms: '1969-12-31 23:59:59.999',
      ts_us: '1969-12-31 23:59:59.999999',
      ts_ns: '1969-12-31 23:59:59.999999',
      tags_list: '[]',
    },
    {
      i32: 1,
      i16: 1,
      u32: '1',
      i64: '1',
      u64: '1',
      f64: '1.5',
      f32: '1.5',
      dec: '1.2345',
      dec38: '1.0000000000',
      s: 'a',
      js: '{"a": 1}',
      b: true,
      d: '2024-02-29',
      ts_ms: '2024-02-29 12:34:56.789',
      ts_us: '2024-02-29 12:34:56.789012',
      ts_ns: '2024-02-29 12:34:56.789012',
      tags_list: '[1, 2]',
    },
    {
      i32: 2147483647,
      i16: 32767,
      u32: '4294967295',
      i64: '9223372036854775807',
      u64: '18446744073709551615',
      f64: '1e+300',
      f32: '3.3999999521443642e+38',
      dec: '99999999999999.9999',
      dec38: '9999999999999999999999999999.9999999999',
      s: '',
      js: '"str"',
      b: true,
      d: '9999-12-31',
      ts_ms: '2000-01-01 00:00:00',
      ts_us: '2000-01-01 00:00:00.000001',
      ts_ns: '2000-01-01 00:00:00',
      tags_list: '[9007199254740993]',
    },
    nulls,
  ]);
});

test('columns selects and orders the columns read; a column with no mapping fails naming it, unless left out', async () => {
  const types = fixture('types', 'select.parquet');
  const picked = `${env.db.schema}.picked`;
  const ok = await run({
    name: 'select',
    nodes: [
      { id: 'read', type: 'source.parquet', params: { path: types, columns: ['s', 'i32'] } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table: picked, createTable: true } },
    ],
  });
  expect(ok.status.state).toBe('completed');
  expect(await columnTypes(picked)).toEqual({ s: 'text', i32: 'integer' });

  const file = fixture('fixed', 'fixed.parquet');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'fixed',
    defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
    nodes: [{ id: 'read', type: 'source.parquet', params: { path: file } }],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain(
    `node "read": input file ${file}: column "hash" is FIXED_LEN_BYTE_ARRAY(4) without a logical type, which has no column type here; leave it out of \`columns\``,
  );
  const status = (await handle.query('status')) as PipelineResult['status'];
  expect(nodeOf(status, 'read')).toMatchObject({ attempts: 1, error: { nonRetryable: true } });

  const table = `${env.db.schema}.fixed`;
  const without = await run({
    name: 'fixed-id',
    nodes: [
      { id: 'read', type: 'source.parquet', params: { path: file, columns: ['id'] } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
    ],
  });
  expect(without.status.state).toBe('completed');
  expect(await env.db.rows(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 2 }]);
});

test('a file that is not Parquet, or is truncated, fails at once, non-retryably, naming node and file', async () => {
  const text = env.file('text.parquet', 'id,name\n1,a\n');
  const cut = env.path('cut.parquet');
  fs.writeFileSync(cut, fs.readFileSync(FLIGHTS).subarray(0, 1_000_000));
  for (const file of [text, cut]) {
    const handle = await startPipeline(env.h.client, env.h.taskQueue, {
      name: 'not-parquet',
      defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
      nodes: [{ id: 'read', type: 'source.parquet', params: { path: file } }],
    });
    const failure = await failureOf(handle.result());
    expect(failure.message).toContain(`node "read": input file ${file}: is not a Parquet file, or is truncated`);
    const status = (await handle.query('status')) as PipelineResult['status'];
    expect(nodeOf(status, 'read')).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  }
});

test('a row group that cannot be decoded fails the node where it stands; an atomic target shows nothing', async () => {
  // The flights slice with the first page of its second row group overwritten: the first group reads fine first.
  const file = env.path('corrupt.parquet');
  fs.copyFileSync(slice(), file);
  const lib = await loadHyparquet();
  const buffer = await openParquetFileBuffer(file);
  const meta = (await lib.parquetMetadataAsync(buffer)).row_groups[1]!.columns[0]!.meta_data!;
  await buffer.close();
  const fd = fs.openSync(file, 'r+');
  fs.writeSync(fd, Buffer.alloc(64, 0xff), 0, 64, Number(meta.dictionary_page_offset ?? meta.data_page_offset));
  fs.closeSync(fd);

  const table = `${env.db.schema}.corrupt`;
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'corrupt',
    defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
    nodes: [
      { id: 'read', type: 'source.parquet', params: { path: file } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['read'],
        params: { table, createTable: true, batchRows: 50_000, atomic: true },
      },
    ],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain(
    `node "read": input file ${file}: cannot decode row group 2 of 3 (rows 100001 to 200000)`,
  );
  const status = (await handle.query('status')) as PipelineResult['status'];
  expect(nodeOf(status, 'read')).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  const exists = await env.db.rows(`SELECT to_regclass($1) AS t`, [table]);
  const loaded = exists[0]?.t ? await env.db.rows(`SELECT count(*)::int AS n FROM ${table}`) : [{ n: 0 }];
  expect(loaded[0]?.n).toBe(0);
}, 300_000);
