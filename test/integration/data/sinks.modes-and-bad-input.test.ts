/**
 * sink.postgres modes (upsert, replace), rejects and maxRejects, staging cleanup at the end of a run, identifier
 * injection refused at validation, and clear non-retryable errors for bad input; each in this file's own schemas.
 */
import fs from 'node:fs';
import type { PipelineResult } from '../../../src/engine/run-input';
import { validateDefinition } from '../../../src/model/validate';
import { NodeTypes } from '../../../src/nodes/node-types';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { expectNothingLeftBehind } from '../../helpers/load-run';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('sinks')));
afterAll(async () => env?.close());

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
  { name: 'amount', type: 'numeric' },
];

const load = (file: string, sink: object, source: object = {}, retry = { maximumAttempts: 1 }) => ({
  name: 'load',
  defaults: { retry },
  nodes: [
    { id: 'read', type: 'source.csv', params: { path: file, columns, ...source } },
    { id: 'write', type: 'sink.postgres', needs: ['read'], params: sink },
  ],
});

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;

test('upsert on a key: new rows inserted, existing rows updated, duplicate keys in the input last-wins', async () => {
  const table = `${env.db.schema}.accounts`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, amount numeric)`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'old', 1), (2, 'keep', 2)`);
  const file = env.file('upsert.csv', 'id,name,amount\n1,new,10\n3,three,30\n3,three again,33\n');
  const result = await run(load(file, { table, mode: 'upsert', key: ['id'] }));
  expect(result.status.state).toBe('completed');
  expect(await env.db.rows(`SELECT id, name, amount::text FROM ${table} ORDER BY id`)).toEqual([
    { id: 1, name: 'new', amount: '10' },
    { id: 2, name: 'keep', amount: '2' },
    { id: 3, name: 'three again', amount: '33' },
  ]);
});

test('replace swaps the whole table contents in one transaction, loading its landing table in batchRows batches', async () => {
  const table = `${env.db.schema}.snapshot`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int, name text, amount numeric)`);
  await env.db.pool.query(`INSERT INTO ${table} SELECT g, 'old', g FROM generate_series(1, 100) g`);
  const file = env.file('replace.csv', 'id,name,amount\n7,seven,7.5\n8,eight,8.25\n');
  const result = await run(load(file, { table, mode: 'replace', batchRows: 1 }));
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'write').output?.stats?.batches).toBe(2);
  expect(await env.db.rows(`SELECT id, name, amount::text FROM ${table} ORDER BY id`)).toEqual([
    { id: 7, name: 'seven', amount: '7.5' },
    { id: 8, name: 'eight', amount: '8.25' },
  ]);
});

test('malformed rows go to the rejects table with line, raw text and reason, within maxRejects', async () => {
  const table = `${env.db.schema}.tolerant`;
  const file = env.file('rejects.csv', 'id,name,amount\n1,a,1\nx,b,2\n3,c\n4,d,4\n');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(file, { table, createTable: true }, { maxRejects: 2 }),
  );
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(await env.db.rows(`SELECT id FROM ${table} ORDER BY id`)).toEqual([{ id: 1 }, { id: 4 }]);
  const rejects = await env.db.rejects(handle.workflowId);
  expect(rejects.map((r) => [r.nodeId, r.lineNo, r.raw])).toEqual([
    ['read', 3, 'x,b,2'],
    ['read', 4, '3,c'],
  ]);
  expect(rejects[0]?.reason).toMatch(/column id: not an integer/);
  expect(rejects[1]?.reason).toMatch(/expected 3 fields, found 2/);
  expect(nodeOf(result.status, 'read').output?.stats?.rowsRejected).toBe(2);
});

test('more rejects than maxRejects fails the node non-retryably, naming the count and first reasons; nothing is loaded', async () => {
  const table = `${env.db.schema}.strict`;
  const file = env.file('too-many.csv', 'id,name,amount\n1,a,1\nx,b,2\ny,c,3\n');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(file, { table, createTable: true, atomic: true }, { maxRejects: 1 }, { maximumAttempts: 3 }),
  );
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(
    /read: TooManyRejects: node "read": 2 of \d+ records rejected, more than maxRejects allows \(1\)/,
  );
  expect(failure.message).toMatch(/line 3: column id: not an integer/);
  const status = await handle.query('status');
  expect(nodeOf(status as PipelineResult['status'], 'read').attempts).toBe(1);
  const exists = await env.db.rows(`SELECT to_regclass($1) AS t`, [table]);
  const loaded = exists[0]?.t ? await env.db.rows(`SELECT count(*)::int AS n FROM ${table}`) : [{ n: 0 }];
  expect(loaded[0]?.n).toBe(0);
});

/** The activity types a run scheduled, from its history. */
async function scheduledActivities(workflowId: string): Promise<string[]> {
  const history = await env.h.client.workflow.getHandle(workflowId).fetchHistory();
  return (history.events ?? []).flatMap((e) => {
    const type = e.activityTaskScheduledEventAttributes?.activityType?.name;
    return type ? [type] : [];
  });
}

test('a run whose nodes wrote no staging (a fused chain into its target) schedules no staging drop', async () => {
  const table = `${env.db.schema}.direct`;
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(env.file('direct.csv', 'id,name,amount\n1,a,1\n'), { table, createTable: true }),
  );
  expect(((await handle.result()) as PipelineResult).status.state).toBe('completed');
  expect(await scheduledActivities(handle.workflowId)).toEqual(['runNode']);
});

test('staging tables of a run are dropped when it ends', async () => {
  const file = env.file('stage.csv', 'id,name,amount\n1,a,1\n');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'staged',
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: file, columns }, fuse: false },
      {
        id: 'sum',
        type: 'transform.sql',
        needs: ['read'],
        params: { sql: 'SELECT sum(amount) AS total FROM {{ inputs.read }}' },
      },
      { id: 'out', type: 'sink.file', needs: ['sum'], params: { path: env.path('total.csv') } },
    ],
  });
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');
  expect(await scheduledActivities(handle.workflowId)).toContain('dropStaging');
  expect(fs.readFileSync(env.path('total.csv'), 'utf8')).toBe('total\n1\n');
  const left = await env.db.rows(`SELECT table_name FROM information_schema.tables WHERE table_schema = $1`, [
    env.db.stagingSchema,
  ]);
  expect(left).toEqual([]);
  const registered = await env.db.rows(`SELECT * FROM ${env.db.schema}.staging_tables`);
  expect(registered).toEqual([]);
});

test('a table name crafted to inject SQL is refused at validation with its path', () => {
  const registry = new NodeTypes();
  const result = validateDefinition(load('/x.csv', { table: 'public.t; DROP TABLE users; --' }), {
    catalog: registry.catalog(),
  });
  expect(result.ok).toBe(false);
  expect(result.problems).toEqual(
    expect.arrayContaining([
      expect.objectContaining({ path: 'nodes[1].params.table', message: expect.stringMatching(/table/) }),
    ]),
  );
  const col = validateDefinition(
    {
      name: 'x',
      nodes: [{ id: 'r', type: 'source.csv', params: { path: '/x', columns: [{ name: 'a"b', type: 'text' }] } }],
    },
    { catalog: registry.catalog() },
  );
  expect(col.ok).toBe(false);
  expect(col.problems[0]?.path).toBe('nodes[0].params.columns[0].name');
});

test('a missing input file fails at once, non-retryably, naming the node and the file', async () => {
  const missing = env.path('nope.csv');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(missing, { table: `${env.db.schema}.never`, createTable: true }, {}, { maximumAttempts: 5 }),
  );
  const failure = await failureOf(handle.result());
  expect(failure.message).toContain(`node "read": input file ${missing}`);
  const status = (await handle.query('status')) as PipelineResult['status'];
  expect(nodeOf(status, 'read').attempts).toBe(1);
});

test('a target table with other columns fails non-retryably, saying which columns differ; the table is untouched', async () => {
  const table = `${env.db.schema}.othercols`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int, label text)`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'x')`);
  const file = env.file('other.csv', 'id,name,amount\n1,a,1\n');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, load(file, { table }, {}, { maximumAttempts: 5 }));
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(/target table .*othercols/);
  expect(failure.message).toMatch(/name|amount/);
  expect(await env.db.rows(`SELECT * FROM ${table}`)).toEqual([{ id: 1, label: 'x' }]);
});

test('replace of a table other tables reference by foreign key fails non-retryably, naming them; nothing changes or is left', async () => {
  const table = `${env.db.schema}.parents`;
  const children = `${env.db.schema}.children`;
  await env.db.pool.query(`CREATE TABLE ${table} (id int PRIMARY KEY, name text, amount numeric)`);
  await env.db.pool.query(`CREATE TABLE ${children} (parent int REFERENCES ${table})`);
  await env.db.pool.query(`INSERT INTO ${table} VALUES (1, 'old', 1)`);
  const file = env.file('parents.csv', 'id,name,amount\n1,new,10\n2,two,20\n');
  const handle = await startPipeline(
    env.h.client,
    env.h.taskQueue,
    load(file, { table, mode: 'replace' }, {}, { maximumAttempts: 3 }),
  );
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(/write: TargetTableError: .*parents: is referenced by foreign keys of .*children/);
  const status = await handle.query('status');
  expect(nodeOf(status as PipelineResult['status'], 'write').attempts).toBe(1);
  expect(await env.db.rows(`SELECT id, name FROM ${table}`)).toEqual([{ id: 1, name: 'old' }]);
  await expectNothingLeftBehind(env.db, env.db.schema, [handle.workflowId]);
});
