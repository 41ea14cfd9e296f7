/**
 * A CSV input with a known set of good rows and malformed ones, and the read -> check pipeline over it.
 */
import { randomUUID } from 'node:crypto';
import { Readable } from 'node:stream';
import type pg from 'pg';
import type { RowChunk } from '../../../src/data/rows/batch';
import { ColumnsSchema, compileRowCheck } from '../../../src/model/columns/columns';
import { CsvReader } from '../../../src/data/formats/csv-source';
import { mapAsync } from '../../../src/data/rows/map-async';
import { loadBatches, type LoadBatchesInput } from '../../../src/data/load/exactly-once-load';
import { RejectGate } from '../../../src/data/rows/reject-gate';
import { validateChunk } from '../../../src/data/rows/validate-chunk';
import type { MaxRejects } from '../../../src/model/max-rejects';
import type { Scratch } from './pg-scratch';

export const COLUMNS = ColumnsSchema.parse([
  { name: 'id', type: 'int' },
  { name: 'label', type: 'text' },
  { name: 'qty', type: 'int' },
]);

/** `records` records after a header; every 97th has a bad qty and every 211th a missing field. */
export function makeCsv(records: number): { text: string; goodIds: number[]; rejectLines: number[] } {
  const lines = ['id,label,qty'];
  const goodIds: number[] = [];
  for (let id = 1; id <= records; id++) {
    if (id % 211 === 0) lines.push(`${id},"missing, qty"`);
    else if (id % 97 === 0) lines.push(`${id},bad,x${id}`);
    else {
      lines.push(id % 10 === 0 ? `${id},"multi\nline ""${id}""",${id % 13}` : `${id},row ${id},${id % 13}`);
      goodIds.push(id);
    }
  }
  // Line numbers: a record with an embedded newline takes two lines.
  let line = 2;
  const lineOfId = new Map<number, number>();
  for (let id = 1; id <= records; id++) {
    lineOfId.set(id, line);
    line += lines[id]?.includes('\n') ? 2 : 1;
  }
  const rejected = Array.from({ length: records }, (_, i) => i + 1).filter((id) => id % 211 === 0 || id % 97 === 0);
  return { text: lines.join('\r\n') + '\r\n', goodIds, rejectLines: rejected.map((id) => lineOfId.get(id) as number) };
}

/**
 * Reads `text` in small pieces (to cross chunk boundaries everywhere) and checks rows against COLUMNS, failing once
 * the rejects pass `maxRejects` (as a source node's gate does).
 */
export function checkedChunks(
  text: string,
  chunkRows = 64,
  failAtRecord?: number,
  maxRejects: MaxRejects = 100,
): AsyncIterable<RowChunk> {
  const pieces = (async function* () {
    for (let i = 0; i < text.length; i += 1000) yield text.slice(i, i + 1000);
  })();
  const check = compileRowCheck(COLUMNS);
  const gate = new RejectGate('load', maxRejects);
  const chunks = mapAsync(new CsvReader(Readable.from(pieces), { header: true, chunkRows }), (chunk) => {
    if (failAtRecord !== undefined && chunk.firstRecord + chunk.recordCount > failAtRecord)
      throw new Error('simulated read failure');
    const checked = validateChunk(chunk, check);
    gate.count(checked.recordCount, checked.rejects);
    return checked;
  });
  return (async function* () {
    yield* chunks;
    gate.finish();
  })();
}

/** Target contents: ids with their multiplicity, plus the ledger's batch numbers (see also expectLedgerComplete). */
export async function targetState(pool: pg.Pool, schema: string, table: string, workflowId: string) {
  const ids = await pool.query<{ id: number; n: number }>(
    `SELECT id, count(*)::int n FROM ${schema}.${table} GROUP BY id ORDER BY id`,
  );
  const ledger = await pool.query<{ batch_no: number }>(
    `SELECT batch_no FROM ${schema}.load_ledger WHERE workflow_id = $1 ORDER BY batch_no`,
    [workflowId],
  );
  return {
    ids: ids.rows.map((r) => r.id),
    duplicates: ids.rows.filter((r) => r.n > 1).length,
    batches: ledger.rows.map((r) => r.batch_no),
  };
}

/** A new empty target table for COLUMNS in the scratch schema, and a workflow id of its own. */
export async function freshTarget(s: Scratch): Promise<{ table: string; workflowId: string }> {
  const table = `t_${randomUUID().replace(/-/g, '').slice(0, 12)}`;
  await s.registry.getPool().query(`CREATE TABLE ${s.schema}.${table} (id int, label text, qty int)`);
  return { table, workflowId: `wf-${randomUUID()}` };
}

/**
 * Loads `text` (checked against COLUMNS, with up to `maxRejects` rejects, default 100) into `table` as node `load`
 * of run `r1`.
 */
export function loadText(
  s: Scratch,
  text: string,
  table: string,
  workflowId: string,
  batchRows: number,
  extra: Partial<LoadBatchesInput> = {},
  maxRejects?: MaxRejects,
) {
  return loadBatches({
    pool: s.registry.getPool(),
    target: `${s.schema}.${table}`,
    columns: COLUMNS.map((c) => c.name),
    workflowId,
    runId: 'r1',
    nodeId: 'load',
    chunks: checkedChunks(text, 64, undefined, maxRejects),
    batchRows,
    projectSchema: s.schema,
    ...extra,
  });
}
