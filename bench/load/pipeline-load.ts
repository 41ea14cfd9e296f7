/**
 * The pipewright path: CSV reader -> column checks -> computed amount -> exactly-once COPY load.
 */
import type pg from 'pg';
import { compileRowCheck, ColumnsSchema } from '../../src/stream/columns';
import { readCsvFile } from '../../src/stream/csv-source';
import { loadBatches, type LoadBatchesResult } from '../../src/stream/exactly-once-load';
import { mapAsync } from '../../src/stream/map-async';
import { validateChunk } from '../../src/stream/validate-chunk';
import { addAmount } from './amount';

/** The source columns of the generated file. */
export const SOURCE_COLUMNS = ColumnsSchema.parse([
  { name: 'id', type: 'bigint' },
  { name: 'ts', type: 'timestamptz' },
  { name: 'region', type: 'text' },
  { name: 'product', type: 'text' },
  { name: 'qty', type: 'int' },
  { name: 'price', type: 'numeric' },
]);

/** Options of {@link pipelineLoad}. */
export interface PipelineLoadOptions {
  readonly pool: pg.Pool;
  readonly file: string;
  readonly table: string;
  readonly projectSchema: string;
  readonly workflowId: string;
  readonly batchRows: number;
}

/** Loads `file` into `table`; resolves with the load result and wall time in ms. */
export async function pipelineLoad(o: PipelineLoadOptions): Promise<{ result: LoadBatchesResult; ms: number }> {
  const started = process.hrtime.bigint();
  const check = compileRowCheck(SOURCE_COLUMNS);
  const chunks = mapAsync(readCsvFile(o.file, { header: true }), (chunk) =>
    addAmount(validateChunk(chunk, check), 4, 5),
  );
  const result = await loadBatches({
    pool: o.pool,
    target: o.table,
    columns: [...SOURCE_COLUMNS.map((c) => c.name), 'amount'],
    workflowId: o.workflowId,
    runId: 'bench',
    nodeId: 'sink',
    chunks,
    batchRows: o.batchRows,
    projectSchema: o.projectSchema,
  });
  return { result, ms: Number(process.hrtime.bigint() - started) / 1e6 };
}
