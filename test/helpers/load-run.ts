/** What the load tests share: the sales-load pipeline, its ledger, and a worker that finishes a run. */
import type { Worker } from '@temporalio/worker';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { createPipewrightWorker } from '../../worker/create-worker';
import type { TestData } from './data';
import { WORKFLOW_BUNDLE } from './paths';
import { SALES_COLUMNS } from './sales-file';
import type { TemporalHarness } from './temporal';

export interface SalesLoadOptions {
  readonly name: string;
  /** The CSV (see sales-file.ts). */
  readonly path: string;
  /** `schema.table`, existing. */
  readonly table: string;
  readonly batchRows: number;
  readonly defaults?: Record<string, unknown>;
}

/** `source.csv` -> `sink.postgres` append: fused into one activity, loading in ledgered batches. */
export function salesLoad(o: SalesLoadOptions): unknown {
  return {
    name: o.name,
    ...(o.defaults ? { defaults: o.defaults } : {}),
    nodes: [
      { id: 'extract', type: 'source.csv', params: { path: o.path, columns: SALES_COLUMNS } },
      { id: 'load', type: 'sink.postgres', needs: ['extract'], params: { table: o.table, batchRows: o.batchRows } },
    ],
  };
}

/**
 * The run's committed batches so far, for waiting on a load's progress (to check a finished load, use
 * `expectLedgerComplete` from ledger.ts).
 */
export function ledgerBatches(
  d: TestData,
  workflowId: string,
): Promise<Array<{ batch_no: number; row_count: number }>> {
  return d.rows(`SELECT batch_no, row_count FROM "${d.schema}".load_ledger WHERE workflow_id = $1 ORDER BY batch_no`, [
    workflowId,
  ]);
}

/** An in-process worker on `taskQueue` with the test's data services: the one that takes over a run. */
export function takeoverWorker(h: TemporalHarness, taskQueue: string, d: TestData): Promise<Worker> {
  return createPipewrightWorker({
    connection: h.nativeConnection,
    taskQueue,
    workflowBundlePath: WORKFLOW_BUNDLE,
    data: d.services,
  });
}

/** The settings that point a worker process at the test's database schemas (no periodic sweep). */
export function dataWorkerEnv(d: TestData): Record<string, string> {
  return {
    DATABASE_URL: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    PIPEWRIGHT_DB_SCHEMA: d.schema,
    PIPEWRIGHT_STAGING_SCHEMA: d.stagingSchema,
    PIPEWRIGHT_STAGING_SWEEP_INTERVAL: '0',
  };
}
