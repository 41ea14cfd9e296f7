/**
 * NULL and the empty string survive a table written by sink.file (CSV) and read back by source.csv, in every column
 * type, on real Postgres: sink.file writes NULL as nothing and '' as `""`, and source.csv reads them as COPY does.
 */
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('csvnulls')));
afterAll(async () => env?.close());

const COLUMNS = [
  { name: 'id', type: 'int' },
  { name: 't', type: 'text' },
  { name: 'i', type: 'int' },
  { name: 'b', type: 'bigint' },
  { name: 'f', type: 'float' },
  { name: 'n', type: 'numeric' },
  { name: 'bo', type: 'bool' },
  { name: 'd', type: 'date' },
  { name: 'ts', type: 'timestamptz' },
  { name: 'j', type: 'json' },
] as const;
const NAMES = COLUMNS.map((c) => c.name);

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;

test('a table with NULLs and empty strings in every column type comes back identical through a CSV file', async () => {
  const source = `${env.db.schema}.original`;
  const copy = `${env.db.schema}.read_back`;
  await env.db.pool.query(
    `CREATE TABLE ${source} (id int, t text, i int, b bigint, f float8, n numeric, bo bool, d date, ts timestamptz, j jsonb)`,
  );
  await env.db.pool.query(`INSERT INTO ${source} VALUES
    (1, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL, NULL),
    (2, '', 0, 0, 0, 0, false, '2024-01-01', '2024-01-01T00:00:00Z', '""'),
    (3, ' ', -1, 9223372036854775807, 1.5e-300, 123456789012345678901234567890.5, true, '0001-01-01', '2024-06-30T23:59:59.123456+02', 'null'),
    (4, 'NULL', 2147483647, -9223372036854775808, -0.25, -1, NULL, NULL, NULL, '{"a": [1, null, ""], "b": {}}'),
    (5, '\\N', NULL, 1, NULL, NULL, true, '2024-02-29', NULL, '[]'),
    (6, '"', NULL, NULL, NULL, NULL, NULL, NULL, NULL, '"text"'),
    (7, 'a,b', 1, NULL, 3, NULL, false, NULL, '1999-12-31T23:00:00Z', '{}'),
    (8, E'multi\\nline', NULL, NULL, NULL, 0.000, NULL, NULL, NULL, NULL),
    (9, '""', 5, 5, 5, 5, true, '2000-01-01', '2000-01-01T00:00:00Z', '0')`);
  const file = env.path('table.csv');

  const out = await run({
    name: 'table-to-csv',
    nodes: [
      { id: 'read', type: 'source.postgres', params: { query: `SELECT * FROM ${source} ORDER BY id` } },
      { id: 'write', type: 'sink.file', needs: ['read'], params: { path: file } },
    ],
  });
  expect(out.status.state).toBe('completed');

  const back = await run({
    name: 'csv-to-table',
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: file, columns: COLUMNS } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table: copy, createTable: true } },
    ],
  });
  expect(back.status.state).toBe('completed');
  expect(nodeOf(back.status, 'read').output?.stats?.rowsRejected).toBe(0);

  const expected = await tableChecksum(env.db.pool, source, NAMES);
  const actual = await tableChecksum(env.db.pool, copy, NAMES);
  expect(expected.count).toBe(9);
  expect(expected.nulls.t).toBe(1);
  expect(actual).toEqual(expected);
  const texts = await env.db.rows<{ id: number; t: string | null }>(
    `SELECT id, t FROM ${copy} WHERE id <= 2 ORDER BY id`,
  );
  expect(texts).toEqual([
    { id: 1, t: null },
    { id: 2, t: '' },
  ]);
});

test('nulls: none reads every empty text field as the empty string, nulls: empty as NULL', async () => {
  const file = env.file('modes.csv', 'id,t\n1,\n2,""\n3,x\n');
  const load = async (nulls: string, table: string) => {
    const r = await run({
      name: `csv-nulls-${nulls}`,
      nodes: [
        {
          id: 'read',
          type: 'source.csv',
          params: {
            path: file,
            nulls,
            columns: [
              { name: 'id', type: 'int' },
              { name: 't', type: 'text' },
            ],
          },
        },
        { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
      ],
    });
    expect(r.status.state).toBe('completed');
    return env.db.rows<{ t: string | null }>(`SELECT t FROM ${table} ORDER BY id`);
  };
  expect(await load('none', `${env.db.schema}.m_none`)).toEqual([{ t: '' }, { t: '' }, { t: 'x' }]);
  expect(await load('empty', `${env.db.schema}.m_empty`)).toEqual([{ t: null }, { t: null }, { t: 'x' }]);
  expect(await load('unquoted-empty', `${env.db.schema}.m_default`)).toEqual([{ t: null }, { t: '' }, { t: 'x' }]);
});
