/**
 * sink.postgres `mode: upsert` with values that need care in the array literals the writer builds (quotes,
 * backslashes, commas, braces, the text NULL, empty text, SQL NULL), and rows the database refuses (a CHECK
 * constraint) becoming rejects with Postgres's reason while the rest of the set is written.
 */
import type { PipelineResult } from '../../../src/engine/run-input';
import { arrayLiteral } from '../../../src/data/load/upsert-writer';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('upsert')));
afterAll(async () => env?.close());

const load = (file: string, table: string, maxRejects = 0) => ({
  name: 'upsert',
  defaults: { retry: { maximumAttempts: 1 } },
  nodes: [
    {
      id: 'read',
      type: 'source.csv',
      params: {
        path: file,
        columns: [
          { name: 'id', type: 'int' },
          { name: 'label', type: 'text' },
          { name: 'qty', type: 'int' },
        ],
      },
    },
    { id: 'write', type: 'sink.postgres', needs: ['read'], params: { table, mode: 'upsert', key: ['id'], maxRejects } },
  ],
});

test('array literals keep every value as data, SQL NULL as NULL', async () => {
  const values = ['a "quoted" word', 'back\\slash', 'a,b', '{x}', 'NULL', '', ' padded ', null];
  const { rows } = await env.db.pool.query<{ v: string | null }>('SELECT unnest($1::text[]) AS v', [
    arrayLiteral(values),
  ]);
  expect(rows.map((r) => r.v)).toEqual(values);
  // Without NULL or anything to escape the literal is built in one join: the same values come back.
  for (const plain of [['a b', 'x,y', '{z}', 'NULL', ''], ['one'], []]) {
    const back = await env.db.pool.query<{ v: string }>('SELECT unnest($1::text[]) AS v', [arrayLiteral(plain)]);
    expect(back.rows.map((r) => r.v)).toEqual(plain);
  }
});

test('upsert loads text with quotes, backslashes, commas, braces, the word NULL, NULLs and empty strings exactly', async () => {
  const table = `${env.db.schema}.labels`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text, qty int)`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'old', 0)`);
  const file = env.file(
    'labels.csv',
    'id,label,qty\n1,"a ""quoted"" word",1\n2,back\\slash,2\n3,"a,b",3\n4,{x},4\n5,NULL,5\n6,,6\n7,x,\n8,"",8\n',
  );
  const result = (await (
    await startPipeline(env.h.client, env.h.taskQueue, load(file, table))
  ).result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(await env.db.rows(`SELECT id, label, qty FROM ${table} ORDER BY id`)).toEqual([
    { id: 1, label: 'a "quoted" word', qty: 1 },
    { id: 2, label: 'back\\slash', qty: 2 },
    { id: 3, label: 'a,b', qty: 3 },
    { id: 4, label: '{x}', qty: 4 },
    { id: 5, label: 'NULL', qty: 5 },
    { id: 6, label: null, qty: 6 },
    { id: 7, label: 'x', qty: null },
    { id: 8, label: '', qty: 8 },
  ]);
});

test('rows a constraint refuses become rejects with the reason; the other rows of the set are written', async () => {
  const table = `${env.db.schema}.stock`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text, qty int CHECK (qty >= 0))`);
  const lines = Array.from({ length: 40 }, (_, i) => `${i + 1},item ${i + 1},${i === 12 || i === 30 ? -1 : i}`);
  const file = env.file('stock.csv', `id,label,qty\n${lines.join('\n')}\n`);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(file, table, 2));
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  const loaded = await env.db.rows<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`);
  expect(loaded.map((r) => r.id)).toEqual(
    Array.from({ length: 40 }, (_, i) => i + 1).filter((id) => id !== 13 && id !== 31),
  );
  const rejects = await env.db.rejects(handle.workflowId);
  expect(rejects.map((r) => [r.nodeId, r.lineNo, r.raw])).toEqual([
    ['write', 14, '13,item 13,-1'],
    ['write', 32, '31,item 31,-1'],
  ]);
  expect(rejects[0]?.reason).toMatch(/refused by the database: .*violates check constraint/);
  expect(nodeOf(result.status, 'write').output?.stats?.rowsRejected).toBe(2);
});

test('the last row of a key wins across sets, with one set running while the next is shaped', async () => {
  const table = `${env.db.schema}.versions`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text, qty int)`);
  // 3 x 7,000 rows, sets of 5,000: every key appears in three sets, and its last version must win.
  const lines = Array.from({ length: 21_000 }, (_, i) => `${i % 7000},v${Math.floor(i / 7000)},${i}`);
  const file = env.file('versions.csv', `id,label,qty\n${lines.join('\n')}\n`);
  const result = (await (
    await startPipeline(env.h.client, env.h.taskQueue, load(file, table))
  ).result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  const summary = await env.db.rows(
    `SELECT count(*)::int AS n, count(*) FILTER (WHERE label = 'v2' AND qty = id + 14000)::int AS last FROM ${table}`,
  );
  expect(summary).toEqual([{ n: 7000, last: 7000 }]);
});
