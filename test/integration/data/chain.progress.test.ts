/**
 * A fused chain reports each member's rows as they stream (what `status --watch` turns into rows per second):
 * the source the rows it produced, a transform the rows it passed on, the sink the rows it took.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runChain } from '../../../src/nodes/stream/chain';
import type { DataNodeContext } from '../../../src/nodes/node-type';
import { NodeTypes } from '../../../src/nodes/node-types';
import { createTestData, type TestData } from '../../helpers/data';

let db: TestData;
let dir: string;
beforeAll(async () => {
  db = await createTestData('progress');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-progress-'));
});
afterAll(async () => {
  await db.drop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const registry = new NodeTypes();

function member(id: string, type: string, params: unknown, reported: Map<string, number[]>) {
  const nodeType = registry.get(type);
  if (!nodeType) throw new Error(`no type ${type}`);
  const ctx: DataNodeContext<unknown> = {
    workflowId: 'progress-test',
    runId: 'run-1',
    pipeline: { name: 'progress', version: '1' },
    nodeId: id,
    params: nodeType.params.parse(params),
    inputs: {},
    attempt: 1,
    checkpoint: undefined,
    signal: new AbortController().signal,
    heartbeat: () => undefined,
    progress: (rows) => void reported.set(id, [...(reported.get(id) ?? []), rows]),
    sleep: (ms) => new Promise((r) => setTimeout(r, ms)),
    log: { info: () => undefined, warn: () => undefined },
    data: db.services,
  };
  return { type: nodeType, ctx };
}

test('source, filter and sink of a fused chain each report their rows, growing to their totals', async () => {
  const file = path.join(dir, 'numbers.csv');
  const total = 60_000;
  fs.writeFileSync(file, `id,label\n${Array.from({ length: total }, (_, i) => `${i},n${i}`).join('\n')}\n`);
  const columns = [
    { name: 'id', type: 'int' },
    { name: 'label', type: 'text' },
  ];
  const reported = new Map<string, number[]>();
  const outputs = await runChain([
    member('read', 'source.csv', { path: file, columns }, reported),
    member('evens', 'transform.filter', { where: 'id % 2 == 0' }, reported),
    member(
      'load',
      'sink.postgres',
      { table: `${db.schema}.evens`, mode: 'append', createTable: true, batchRows: 10_000 },
      reported,
    ),
  ]);
  expect([...reported.keys()]).toEqual(['read', 'evens', 'load']);
  for (const counts of reported.values()) {
    // Reported chunk by chunk while the rows flowed, never going back.
    expect(counts.length).toBeGreaterThan(1);
    expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  }
  expect(reported.get('read')?.at(-1)).toBe(total);
  expect(reported.get('evens')?.at(-1)).toBe(total / 2);
  expect(reported.get('load')?.at(-1)).toBe(total / 2);
  expect(outputs.load?.stats?.rowsWritten).toBe(total / 2);
  expect(await db.rows(`SELECT count(*)::int AS n FROM ${db.schema}.evens`)).toEqual([{ n: total / 2 }]);
});
