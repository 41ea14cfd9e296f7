/**
 * sink.postgres `mode: upsert` (COPY into a temporary table, one INSERT ... ON CONFLICT per batch) with values that
 * need care in COPY text (quotes, backslashes, tabs, commas, braces, the text NULL, empty text, SQL NULL), keys
 * twice in a batch (compared as their type), and rows the database refuses becoming rejects with Postgres's reason
 * while the rest of the batch is written.
 */
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';

const COLUMNS = [
  { name: 'id', type: 'int' },
  { name: 'label', type: 'text' },
  { name: 'qty', type: 'int' },
];

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('upsert')));
afterAll(async () => env?.close());

const load = (file: string, table: string, maxRejects = 0, columns = COLUMNS, key = ['id']) => ({
  name: 'upsert',
  defaults: { retry: { maximumAttempts: 1 } },
  nodes: [
    {
      id: 'read',
      type: 'source.csv',
      params: {
        path: file,
        columns,
      },
    },
    { id: 'write', type: 'sink.postgres', needs: ['read'], params: { table, mode: 'upsert', key, maxRejects } },
  ],
});

test('upsert loads text with quotes, backslashes, commas, braces, the word NULL, NULLs and empty strings exactly', async () => {
  const table = `${env.db.schema}.labels`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text, qty int)`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'old', 0)`);
  const file = env.file(
    'labels.csv',
    'id,label,qty\n1,"a ""quoted"" word",1\n2,back\\slash,2\n3,"a,b",3\n4,{x},4\n5,NULL,5\n6,,6\n7,x,\n8,"",8\n' +
      '9,"tab\there",9\n10,"two\nlines",10\n11,\\N,11\n',
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
    { id: 9, label: 'tab\there', qty: 9 },
    { id: 10, label: 'two\nlines', qty: 10 },
    { id: 11, label: '\\N', qty: 11 },
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

const run = async (file: string, table: string, maxRejects = 0, columns = COLUMNS, key = ['id']) => {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(file, table, maxRejects, columns, key));
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  return { result, rejects: await env.db.rejects(handle.workflowId) };
};

test('a key twice in a batch is one key compared as its type (1 and 01 in an int key): the last row wins', async () => {
  const table = `${env.db.schema}.dup_int`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, label text, qty int)`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'old', 0), (5, 'keep', 5)`);
  const file = env.file('dup-int.csv', 'id,label,qty\n1,first,1\n2,two,2\n01,second,3\n2,two again,4\n001,third,5\n');
  const { result } = await run(file, table);
  expect(nodeOf(result.status, 'write').output?.stats?.rowsWritten).toBe(5);
  expect(await env.db.rows(`SELECT id, label, qty FROM ${table} ORDER BY id`)).toEqual([
    { id: 1, label: 'third', qty: 5 },
    { id: 2, label: 'two again', qty: 4 },
    { id: 5, label: 'keep', qty: 5 },
  ]);
});

test('a text key twice in a batch: the last row wins; text keys differing in case or spaces stay apart', async () => {
  const table = `${env.db.schema}.dup_text`;
  await env.db.pool.query(`CREATE TABLE ${table} (code text PRIMARY KEY, qty int)`);
  const columns = [
    { name: 'code', type: 'text' },
    { name: 'qty', type: 'int' },
  ];
  const file = env.file('dup-text.csv', 'code,qty\na,1\nA,2\na,3\n" a",4\na,5\n');
  await run(file, table, 0, columns, ['code']);
  expect(await env.db.rows(`SELECT code, qty FROM ${table} ORDER BY qty`)).toEqual([
    { code: 'A', qty: 2 },
    { code: ' a', qty: 4 },
    { code: 'a', qty: 5 },
  ]);
});

test('a composite key twice in a batch (01 and 1 in its int part): the last row wins', async () => {
  const table = `${env.db.schema}.dup_composite`;
  await env.db.pool.query(
    `CREATE TABLE ${table} (region text, id int, qty int, PRIMARY KEY (region, id)); ` +
      `INSERT INTO ${table} VALUES ('eu', 1, 0), ('us', 1, 0)`,
  );
  const columns = [
    { name: 'region', type: 'text' },
    { name: 'id', type: 'int' },
    { name: 'qty', type: 'int' },
  ];
  const file = env.file('dup-composite.csv', 'region,id,qty\neu,01,1\nus,1,2\neu,1,3\neu,2,4\neu,002,5\n');
  await run(file, table, 0, columns, ['region', 'id']);
  expect(await env.db.rows(`SELECT region, id, qty FROM ${table} ORDER BY region, id`)).toEqual([
    { region: 'eu', id: 1, qty: 3 },
    { region: 'eu', id: 2, qty: 5 },
    { region: 'us', id: 1, qty: 2 },
  ]);
});

test('rows the table refuses (CHECK, length, range, a bad uuid) are rejects with the reason; the rest is written, last wins', async () => {
  const table = `${env.db.schema}.refusing`;
  await env.db.pool.query(
    `CREATE TABLE ${table} (id int PRIMARY KEY, label varchar(5) NOT NULL, qty smallint CHECK (qty >= 0), ref uuid)`,
  );
  const columns = [
    { name: 'id', type: 'int' },
    { name: 'label', type: 'text' },
    { name: 'qty', type: 'int' },
    { name: 'ref', type: 'text' },
  ];
  const uuid = '8c8a7c4e-5d2b-4f0e-9a53-4c9ad4d3b1a0';
  const good = Array.from({ length: 300 }, (_, i) => `${i + 10},ok,${i},${uuid}`);
  const file = env.file(
    'refusing.csv',
    [
      'id,label,qty,ref',
      `1,one,1,${uuid}`,
      `2,toolong,2,${uuid}`, // line 3: varchar(5)
      `3,three,-3,${uuid}`, // line 4: CHECK
      `4,four,40000,${uuid}`, // line 5: smallint range (COPY into the typed table refuses it)
      `5,five,5,not-a-uuid`, // line 6: uuid
      ...good,
      `1,again,7,${uuid}`, // the last row of key 1 wins
      `01,bad,-1,${uuid}`, // refused: key 1 keeps "again"
      '',
    ].join('\n'),
  );
  const { result, rejects } = await run(file, table, 10, columns);
  expect(rejects.map((r) => [r.lineNo, r.raw])).toEqual([
    [3, `2,toolong,2,${uuid}`],
    [4, `3,three,-3,${uuid}`],
    [5, `4,four,40000,${uuid}`],
    [6, '5,five,5,not-a-uuid'],
    [308, `01,bad,-1,${uuid}`],
  ]);
  expect(rejects.map((r) => r.reason)).toEqual([
    expect.stringMatching(/refused by the database: value too long for type character varying\(5\)/),
    expect.stringMatching(/refused by the database: .*violates check constraint/),
    expect.stringMatching(/refused by the database: (smallint out of range|value "40000" is out of range)/),
    expect.stringMatching(/refused by the database: invalid input syntax for type uuid/),
    expect.stringMatching(/refused by the database: .*violates check constraint/),
  ]);
  expect(nodeOf(result.status, 'write').output?.stats).toMatchObject({ rowsWritten: 302, rowsRejected: 5 });
  expect(await env.db.rows(`SELECT count(*)::int AS n FROM ${table}`)).toEqual([{ n: 301 }]);
  expect(await env.db.rows(`SELECT id, label, qty FROM ${table} WHERE id = 1`)).toEqual([
    { id: 1, label: 'again', qty: 7 },
  ]);
});
