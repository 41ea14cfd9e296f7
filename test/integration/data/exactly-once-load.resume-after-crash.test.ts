import { committedBatches } from '../../../src/data/load/ledger';
import { listRejects } from '../../../src/data/load/rejects';
import type { LoadBatchesInput } from '../../../src/data/load/exactly-once-load';
import { InputChangedError } from '../../../src/data/formats/errors';
import { RejectLimitError } from '../../../src/data/rows/reject-gate';
import type { MaxRejects } from '../../../src/model/max-rejects';
import { expectLedgerComplete } from '../../helpers/ledger';
import { checkedChunks, freshTarget as fixtureTarget, loadText, makeCsv, targetState } from './load-fixture';
import { createScratch, type Scratch } from './pg-scratch';

const RECORDS = 2_500;
const BATCH = 300; // 9 batches; chunks of 64 records straddle batch boundaries
const { text, goodIds, rejectLines } = makeCsv(RECORDS);
const batchCount = Math.ceil(RECORDS / BATCH);

let s: Scratch;
beforeAll(async () => (s = await createScratch('load')));
afterAll(() => s.drop());

const freshTarget = () => fixtureTarget(s);

const load = (table: string, workflowId: string, extra: Partial<LoadBatchesInput> = {}, maxRejects?: MaxRejects) =>
  loadText(s, text, table, workflowId, BATCH, extra, maxRejects);

const crashAfter = (k: number) => (batchNo: number) => {
  if (batchNo === k) throw new Error(`simulated crash after batch ${k}`);
};

async function expectExact(table: string, workflowId: string) {
  const state = await targetState(s.registry.getPool(), s.schema, table, workflowId);
  expect(state.duplicates).toBe(0);
  expect(state.ids).toEqual(goodIds);
  // Batches 1..batchCount, each of BATCH records but the last, adding up to the good rows and the rejects.
  await expectLedgerComplete(s.registry.getPool(), s.schema, {
    workflowId,
    runId: 'r1',
    nodeId: 'load',
    sourceRows: goodIds.length,
    sourceRejects: rejectLines.length,
    batchRows: BATCH,
    target: `${s.schema}.${table}`,
  });
  const rejects = await listRejects(s.registry.getPool(), { workflowId, runId: 'r1', nodeId: 'load' }, s.schema);
  expect(rejects.map((r) => Number(r.line_no))).toEqual(rejectLines);
}

describe('exactly-once batched load', () => {
  it('loads every good row once, with the rejects and their line numbers', async () => {
    const { table, workflowId } = await freshTarget();
    const committed: number[] = [];
    const result = await load(table, workflowId, { onBatchCommitted: (n) => void committed.push(n) });
    expect(committed).toEqual(Array.from({ length: batchCount }, (_, i) => i + 1));
    expect(result).toMatchObject({
      records: RECORDS,
      rows: goodIds.length,
      rowsLoaded: goodIds.length,
      rejected: rejectLines.length,
      lastBatchNo: batchCount,
    });
    await expectExact(table, workflowId);
    const rejects = await listRejects(s.registry.getPool(), { workflowId, runId: 'r1', nodeId: 'load' }, s.schema);
    expect(rejects[0]).toMatchObject({ raw: '97,bad,x97', reason: 'column qty: not an integer (int): "x97"' });
    expect(rejects.find((r) => r.raw.startsWith('211,'))).toMatchObject({
      raw: '211,"missing, qty"',
      reason: 'expected 3 fields, found 2',
    });
    const ledger = await committedBatches(s.registry.getPool(), { workflowId, runId: 'r1', nodeId: 'load' }, s.schema);
    expect(ledger.reduce((sum, b) => sum + b.rowCount, 0)).toBe(goodIds.length);
    expect(ledger.reduce((sum, b) => sum + b.rejectCount, 0)).toBe(rejectLines.length);
  });

  it('resumes after the heartbeated batch following a crash', async () => {
    const { table, workflowId } = await freshTarget();
    let heartbeat = 0;
    await expect(
      load(table, workflowId, {
        onBatchCommitted: (n, rowsSoFar) => {
          heartbeat = n;
          expect(rowsSoFar).toBeGreaterThan(0);
          crashAfter(4)(n);
        },
      }),
    ).rejects.toThrow('simulated crash after batch 4');
    expect(heartbeat).toBe(4);
    expect((await targetState(s.registry.getPool(), s.schema, table, workflowId)).batches).toEqual([1, 2, 3, 4]);
    const resumed = await load(table, workflowId, { resumeAfterBatch: heartbeat });
    expect(resumed.rowsLoaded).toBeLessThan(goodIds.length);
    expect(resumed.rows).toBe(goodIds.length);
    await expectExact(table, workflowId);
  });

  it('skips committed batches through the ledger when rerun from scratch', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { onBatchCommitted: crashAfter(6) })).rejects.toThrow(/after batch 6/);
    const seen: { n: number; already: boolean }[] = [];
    await load(table, workflowId, {
      onBatchCommitted: (n, _rows, info) => void seen.push({ n, already: info.alreadyCommitted }),
    });
    expect(seen.filter((x) => x.already).map((x) => x.n)).toEqual([1, 2, 3, 4, 5, 6]);
    await expectExact(table, workflowId);
    const third = await load(table, workflowId);
    expect(third.rowsLoaded).toBe(0);
    await expectExact(table, workflowId);
  });

  it('rolls back a batch interrupted in the middle and completes it on the next attempt', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { chunks: checkedChunks(text, 64, 1_000) })).rejects.toThrow(
      'simulated read failure',
    );
    const state = await targetState(s.registry.getPool(), s.schema, table, workflowId);
    expect(state.batches).toEqual([1, 2, 3]);
    expect(state.ids.length).toBe(goodIds.filter((id) => id <= 900).length);
    await load(table, workflowId, { resumeAfterBatch: 3 });
    await expectExact(table, workflowId);
  });

  it('fails instead of loading wrongly when the input changed between attempts', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { onBatchCommitted: crashAfter(3) })).rejects.toThrow(/after batch 3/);
    const changed = text.replace('\r\n1,', '\r\n0,zero,0\r\n1,');
    await expect(load(table, workflowId, { resumeAfterBatch: 3, chunks: checkedChunks(changed) })).rejects.toThrow(
      InputChangedError,
    );
    await expect(load(table, workflowId, { resumeAfterBatch: 7 })).rejects.toThrow(
      /resumeAfterBatch is 7 but the ledger/,
    );
    expect((await targetState(s.registry.getPool(), s.schema, table, workflowId)).batches).toEqual([1, 2, 3]);
  });

  it('lets two concurrent attempts load each batch only once', async () => {
    const { table, workflowId } = await freshTarget();
    const results = await Promise.all([load(table, workflowId), load(table, workflowId)]);
    expect(results[0].rowsLoaded + results[1].rowsLoaded).toBe(goodIds.length);
    await expectExact(table, workflowId);
  });

  it('stops on abort with the open batch rolled back', async () => {
    const { table, workflowId } = await freshTarget();
    const controller = new AbortController();
    await expect(
      load(table, workflowId, {
        signal: controller.signal,
        onBatchCommitted: (n) => void (n === 2 && controller.abort()),
      }),
    ).rejects.toThrow();
    expect((await targetState(s.registry.getPool(), s.schema, table, workflowId)).batches).toEqual([1, 2]);
    await load(table, workflowId, { resumeAfterBatch: 2 });
    await expectExact(table, workflowId);
  });

  it('fails with the count and first reasons when rejects exceed maxRejects, without committing that batch', async () => {
    const { table, workflowId } = await freshTarget();
    const err = await load(table, workflowId, {}, 3).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RejectLimitError);
    // Counted per chunk of 64 records: the 4th reject (id 291) is in the fifth chunk.
    expect((err as Error).message).toBe(
      'node "load": 4 of 320 records rejected, more than maxRejects allows (3); first: line 107: column qty: not an ' +
        'integer (int): "x97"; line 214: column qty: not an integer (int): "x194"; line 233: expected 3 fields, ' +
        'found 2; line 321: column qty: not an integer (int): "x291". The rejects are in the rejects table; fix the ' +
        'input or raise maxRejects',
    );
    // The 4th reject (id 291) is in batch 1, so batch 1 was rolled back rather than committed.
    const state = await targetState(s.registry.getPool(), s.schema, table, workflowId);
    expect(state.batches).toEqual([]);
    expect(state.ids).toEqual([]);
    const ratio = await load(table, workflowId, {}, { ratio: 0.001 }).catch((e: unknown) => e);
    expect((ratio as Error).message).toMatch(/records rejected, more than maxRejects allows \(a ratio of 0.001\)/);
  });

  it('has a ledger check that fails on a gap, an extra batch, another run id, wrong batch sizes or a short target', async () => {
    const { table, workflowId } = await freshTarget();
    await load(table, workflowId);
    const pool = s.registry.getPool();
    const ledger = `${s.schema}.load_ledger`;
    const key = `workflow_id = '${workflowId}' AND node_id = 'load'`;
    const check = () =>
      expectLedgerComplete(pool, s.schema, {
        workflowId,
        runId: 'r1',
        nodeId: 'load',
        sourceRows: goodIds.length,
        sourceRejects: rejectLines.length,
        batchRows: BATCH,
        target: `${s.schema}.${table}`,
      });
    await check();
    const copyBatch = (batchNo: string, runId = 'run_id') =>
      `INSERT INTO ${ledger} SELECT workflow_id, ${runId}, node_id, ${batchNo}, row_count, reject_count, fingerprint, ` +
      `committed_at FROM ${ledger} WHERE ${key} AND batch_no = 5`;
    const breaks: Array<[what: string, corrupt: string, restore: string]> = [
      [
        'a missing batch',
        `${copyBatch('100')}; DELETE FROM ${ledger} WHERE ${key} AND batch_no = 5`,
        `UPDATE ${ledger} SET batch_no = 5 WHERE ${key} AND batch_no = 100`,
      ],
      [
        'an extra empty batch',
        `${copyBatch(String(batchCount + 1))}; UPDATE ${ledger} SET row_count = 0, reject_count = 0 WHERE ${key} AND batch_no = ${batchCount + 1}`,
        `DELETE FROM ${ledger} WHERE ${key} AND batch_no = ${batchCount + 1}`,
      ],
      [
        'a batch committed under another run id too',
        copyBatch('5', `'r2'`),
        `DELETE FROM ${ledger} WHERE ${key} AND run_id = 'r2'`,
      ],
      [
        'batch sizes that still add up',
        `UPDATE ${ledger} SET row_count = row_count + CASE batch_no WHEN 2 THEN -1 WHEN 3 THEN 1 ELSE 0 END WHERE ${key}`,
        `UPDATE ${ledger} SET row_count = row_count + CASE batch_no WHEN 2 THEN 1 WHEN 3 THEN -1 ELSE 0 END WHERE ${key}`,
      ],
      [
        'a target short of a row',
        `DELETE FROM ${s.schema}.${table} WHERE id = 1`,
        `INSERT INTO ${s.schema}.${table} VALUES (1, 'row 1', 1)`,
      ],
    ];
    for (const [what, corrupt, restore] of breaks) {
      await pool.query(corrupt);
      // An assertion failure (a jest matcher's error), not a query error.
      await expect(check()).rejects.toHaveProperty('matcherResult');
      await pool.query(restore);
      await check().catch((err: unknown) => {
        throw new Error(`after restoring ${what}: ${String(err)}`);
      });
    }
    await expectExact(table, workflowId);
  });
});
