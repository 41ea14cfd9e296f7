/**
 * The two partitioning forms whose plans the run stores: `source.csv` `split` (byte ranges aligned to records, with
 * quoted line breaks across every nominal split point) and `source.postgres` `partitionBy` (key ranges, NULL keys
 * in a range of their own), each loaded into Postgres and compared with a reference (psql `\copy` of the file; the
 * source table), count and checksum; each partition's ledger holds its batches once. In this file's own schemas.
 */
import fs from 'node:fs';
import type { PipelineResult } from '../../../src/engine/run-input';
import type { RunStatus } from '../../../src/model/state';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { expectPartitionLedgers } from '../../helpers/partition-ledger';
import { psqlCopy } from '../../helpers/psql-copy';
import { tableChecksum } from '../../helpers/table-checksum';
import { nodeOf, startPipeline, type PipelineHandle } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('split')));
afterAll(async () => env?.close());

const columns = [
  { name: 'id', type: 'int' },
  { name: 'name', type: 'text' },
  { name: 'amount', type: 'numeric' },
];
const names = columns.map((c) => c.name);
const result = async (handle: PipelineHandle): Promise<RunStatus> => ((await handle.result()) as PipelineResult).status;

/**
 * `rows` records whose quoted `name` (with line breaks, delimiters and doubled quotes) makes up most of each record,
 * so that a split point is most likely inside a quoted field; returns the file and the byte ranges of the quoted
 * fields that hold a line break.
 */
function quotedFile(name: string, rows: number): { file: string; quoted: Array<[number, number]> } {
  const parts: string[] = ['id,name,amount\n'];
  const quoted: Array<[number, number]> = [];
  let at = parts[0]!.length;
  for (let id = 0; id < rows; id++) {
    const text = id % 11 === 0 ? '' : `"r${id} ${'a,b ""q""\n'.repeat(6 + (id % 5))}end"`;
    const line = `${id},${text},${id % 3 === 0 ? '' : `${id}.5`}\n`;
    if (text) quoted.push([at + `${id},`.length, at + `${id},`.length + text.length]);
    parts.push(line);
    at += Buffer.byteLength(line);
  }
  return { file: env.file(name, parts.join('')), quoted };
}

test('source.csv split: { parts: 7 } with quoted line breaks at every split point loads as psql \\copy does', async () => {
  const { file, quoted } = quotedFile('split.csv', 700);
  const size = fs.statSync(file).size;
  // Every nominal split point (i * size / 7) falls inside a quoted field holding a line break.
  for (let i = 1; i < 7; i++) {
    const point = Math.floor((i * size) / 7);
    expect(quoted.some(([from, to]) => point > from && point < to)).toBe(true);
  }
  const table = `${env.db.schema}.split`;
  const ref = `${env.db.schema}.split_ref`;
  await env.db.pool.query(`CREATE TABLE ${ref} (id int, name text, amount numeric)`);
  psqlCopy(ref, file);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'split-load',
    defaults: { parallelism: 4 },
    nodes: [
      { id: 'read', type: 'source.csv', params: { path: file, columns, split: { parts: 7 } } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true, batchRows: 40 } },
    ],
  });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  const [got, want] = await Promise.all([
    tableChecksum(env.db.pool, table, names),
    tableChecksum(env.db.pool, ref, names),
  ]);
  expect(want.count).toBe(700);
  expect(want.nulls.name).toBeGreaterThan(0);
  expect(got).toEqual(want);
  expect(nodeOf(status, 'read').partitions).toMatchObject({ kind: 'byte-range', count: 7, done: 7, failed: 0 });
  // The listing stored the seven parts once; each partition read its own.
  const plan = await env.db.rows<{ part: number; kind: string }>(
    `SELECT part, descriptor->>'kind' AS kind FROM ${env.db.schema}.partition_plans WHERE workflow_id = $1 AND node_id = 'read' ORDER BY part`,
    [handle.workflowId],
  );
  expect(plan).toEqual(Array.from({ length: 7 }, (_, part) => ({ part, kind: 'byte-range' })));
  await expectPartitionLedgers(env.db.pool, env.db.schema, {
    workflowId: handle.workflowId,
    nodeId: 'load',
    partitions: 7,
    batchRows: 40,
    rows: 700,
  });
}, 60_000);

test('source.postgres partitionBy: { column: id, parts: 5 } loads exactly the source table', async () => {
  const source = `${env.db.schema}.keyed`;
  const table = `${env.db.schema}.keyed_copy`;
  await env.db.pool.query(`CREATE TABLE ${source} (id int, name text, amount numeric)`);
  await env.db.pool.query(
    `INSERT INTO ${source} SELECT CASE WHEN i % 97 = 0 THEN NULL ELSE i END, CASE WHEN i % 7 = 0 THEN NULL WHEN i % 5 = 0 THEN '' ELSE 'n' || i || E'\\n,"' END, i * 1.25
     FROM generate_series(1, 1000) AS i`,
  );
  await env.db.pool.query(`CREATE INDEX ON ${source} (id)`);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'key-range-load',
    defaults: { parallelism: 4 },
    nodes: [
      {
        id: 'read',
        type: 'source.postgres',
        params: {
          query: `SELECT id, name, amount FROM ${source} ORDER BY id`,
          partitionBy: { column: 'id', parts: 5 },
          fetchRows: 30,
        },
      },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true, batchRows: 50 } },
    ],
  });
  const status = await result(handle);
  expect(status.state).toBe('completed');
  const [got, want] = await Promise.all([
    tableChecksum(env.db.pool, table, names),
    tableChecksum(env.db.pool, source, names),
  ]);
  expect(want.count).toBe(1000);
  expect(want.nulls.id).toBe(10);
  expect(got).toEqual(want);
  // Five ranges of the keys and one of the NULL keys.
  expect(nodeOf(status, 'read').partitions).toMatchObject({ kind: 'key-range', count: 6, done: 6, failed: 0 });
  await expectPartitionLedgers(env.db.pool, env.db.schema, {
    workflowId: handle.workflowId,
    nodeId: 'load',
    partitions: 6,
    batchRows: 50,
    rows: 1000,
  });
}, 60_000);
