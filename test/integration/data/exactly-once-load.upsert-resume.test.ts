/**
 * The exactly-once load with the upsert writer (COPY into a temporary table, one INSERT ... ON CONFLICT per batch):
 * after a crash, a rerun, an interrupted batch or two concurrent attempts, every batch was applied exactly once. A
 * trigger counts the writes of each row, so a batch applied twice shows even where its values are the same.
 */
import { randomUUID } from 'node:crypto';
import type { LoadBatchesInput } from '../../../src/data/load/exactly-once-load';
import { upsertWriter } from '../../../src/data/load/upsert-writer';
import { committedBatches } from '../../../src/data/load/ledger';
import { listRejects } from '../../../src/data/load/rejects';
import { checkedChunks, loadText } from './load-fixture';
import { createScratch, type Scratch } from './pg-scratch';

const RECORDS = 2_400;
const BATCH = 300; // 8 batches
const KEYS = 700;

/**
 * Record i (1-based) has key (i - 1) % KEYS + 1, except every 50th, which repeats the key before it in its batch;
 * every 97th is refused by the table's CHECK (qty >= 0), unless a later row of its key in its batch supersedes it
 * (then it is never written: a row, not a reject).
 */
function makeInput() {
  const lines = ['id,label,qty'];
  const records = Array.from({ length: RECORDS }, (_, n) => {
    const i = n + 1;
    const key = i % 50 === 0 ? ((i - 2) % KEYS) + 1 : ((i - 1) % KEYS) + 1;
    return { i, key, batch: Math.ceil(i / BATCH), qty: i % 97 === 0 ? -1 : i % 13 };
  });
  const last = new Map<number, { label: string; qty: number }>();
  const batchesOf = new Map<number, Set<number>>();
  const refusedLines: number[] = [];
  for (const { i, key, batch, qty } of records) {
    // Keys written as 0-padded text half of the time: one key, compared as an int.
    lines.push(`${i % 2 === 0 ? `00${key}` : key},v${i},${qty}`);
    const superseded = records.some((r) => r.i > i && r.batch === batch && r.key === key);
    if (superseded) continue;
    if (qty < 0) {
      refusedLines.push(i + 1);
      continue;
    }
    last.set(key, { label: `v${i}`, qty });
    const batches = batchesOf.get(key) ?? new Set<number>();
    batches.add(batch);
    batchesOf.set(key, batches);
  }
  const expected = [...last.entries()]
    .sort((a, b) => a[0] - b[0])
    .map(([id, v]) => ({ id, label: v.label, qty: v.qty, writes: batchesOf.get(id)?.size ?? 0 }));
  return { text: lines.join('\n') + '\n', expected, refusedLines };
}

const { text, expected, refusedLines } = makeInput();

let s: Scratch;
beforeAll(async () => (s = await createScratch('upsert')));
afterAll(() => s.drop());

async function freshTarget(): Promise<{ table: string; workflowId: string }> {
  const table = `u_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  const q = `${s.schema}.${table}`;
  await s.registry.getPool().query(
    `CREATE TABLE ${q} (id int PRIMARY KEY, label text, qty int CHECK (qty >= 0), writes int);
     CREATE FUNCTION ${q}_writes() RETURNS trigger LANGUAGE plpgsql AS $$
       BEGIN NEW.writes := CASE WHEN TG_OP = 'UPDATE' THEN OLD.writes + 1 ELSE 1 END; RETURN NEW; END $$;
     CREATE TRIGGER writes BEFORE INSERT OR UPDATE ON ${q} FOR EACH ROW EXECUTE FUNCTION ${q}_writes()`,
  );
  return { table, workflowId: `wf-${randomUUID()}` };
}

const writer = (table: string, qtyType = 'integer') =>
  upsertWriter({
    qualified: `"${s.schema}"."${table}"`,
    columns: [
      { name: 'id', type: 'integer' },
      { name: 'label', type: 'text' },
      { name: 'qty', type: qtyType },
    ],
    key: ['id'],
  });

const load = (table: string, workflowId: string, extra: Partial<LoadBatchesInput> = {}) =>
  loadText(s, text, table, workflowId, BATCH, { writer: writer(table), ...extra });

const crashAfter = (k: number) => (batchNo: number) => {
  if (batchNo === k) throw new Error(`simulated crash after batch ${k}`);
};

async function expectExact(table: string, workflowId: string): Promise<void> {
  const pool = s.registry.getPool();
  const { rows } = await pool.query(`SELECT id, label, qty, writes FROM ${s.schema}.${table} ORDER BY id`);
  expect(rows).toEqual(expected);
  const key = { workflowId, runId: 'r1', nodeId: 'load' };
  const ledger = await committedBatches(pool, key, s.schema);
  expect(ledger.map((b) => b.batchNo)).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
  expect(ledger.map((b) => b.rowCount + b.rejectCount)).toEqual(Array(8).fill(BATCH));
  expect(ledger.reduce((n, b) => n + b.rejectCount, 0)).toBe(refusedLines.length);
  const rejects = await listRejects(pool, key, s.schema);
  expect(rejects.map((r) => Number(r.line_no))).toEqual(refusedLines);
  expect(rejects[0]?.reason).toMatch(/refused by the database: .*violates check constraint/);
}

describe('exactly-once upsert', () => {
  it('applies every batch once, the last row of a key winning, refused rows as rejects', async () => {
    const { table, workflowId } = await freshTarget();
    const result = await load(table, workflowId);
    expect(result).toMatchObject({ records: RECORDS, rows: RECORDS - refusedLines.length, lastBatchNo: 8 });
    await expectExact(table, workflowId);
  });

  it('resumes after the heartbeated batch following a crash without applying a batch twice', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { onBatchCommitted: crashAfter(4) })).rejects.toThrow(/after batch 4/);
    const resumed = await load(table, workflowId, { resumeAfterBatch: 4 });
    expect(resumed.rowsLoaded).toBeLessThan(resumed.rows);
    await expectExact(table, workflowId);
  });

  it('skips committed batches through the ledger when rerun from scratch', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { onBatchCommitted: crashAfter(6) })).rejects.toThrow(/after batch 6/);
    await load(table, workflowId);
    await expectExact(table, workflowId);
    expect((await load(table, workflowId)).rowsLoaded).toBe(0);
    await expectExact(table, workflowId);
  });

  it('rolls back a batch interrupted in the middle and applies it once on the next attempt', async () => {
    const { table, workflowId } = await freshTarget();
    await expect(load(table, workflowId, { chunks: checkedChunks(text, 64, 1_000) })).rejects.toThrow(
      'simulated read failure',
    );
    const ledger = await committedBatches(s.registry.getPool(), { workflowId, runId: 'r1', nodeId: 'load' }, s.schema);
    expect(ledger.map((b) => b.batchNo)).toEqual([1, 2, 3]);
    await load(table, workflowId, { resumeAfterBatch: 3 });
    await expectExact(table, workflowId);
  });

  it('lets two concurrent attempts apply each batch only once', async () => {
    const { table, workflowId } = await freshTarget();
    const results = await Promise.all([load(table, workflowId), load(table, workflowId)]);
    expect(results[0].rowsLoaded + results[1].rowsLoaded).toBe(RECORDS - refusedLines.length);
    await expectExact(table, workflowId);
  });

  it('finds a row refused early in a large batch, after Postgres has stopped the COPY', async () => {
    const table = `u_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
    await s.registry
      .getPool()
      .query(`CREATE TABLE ${s.schema}.${table} (id int PRIMARY KEY, label text, qty smallint)`);
    const rows = Array.from({ length: 200_000 }, (_, i) => `${i + 1},label ${i + 1},${i === 1 ? 40000 : i % 100}`);
    const big = `id,label,qty\n${rows.join('\n')}\n`;
    const workflowId = `wf-${randomUUID()}`;
    const result = await loadText(s, big, table, workflowId, 500_000, {
      writer: writer(table, 'smallint'),
      chunks: checkedChunks(big, 4096),
    });
    expect(result).toMatchObject({ records: 200_000, rows: 199_999 });
    const rejects = await listRejects(s.registry.getPool(), { workflowId, runId: 'r1', nodeId: 'load' }, s.schema);
    expect(rejects.map((r) => [Number(r.line_no), r.raw])).toEqual([[3, '2,label 2,40000']]);
    expect(rejects[0]?.reason).toMatch(/smallint out of range|out of range for type smallint/);
    const { rows: n } = await s.registry.getPool().query(`SELECT count(*)::int AS n FROM ${s.schema}.${table}`);
    expect(n).toEqual([{ n: 199_999 }]);
  });
});
