/**
 * What the load tests share: the sales-load pipeline, its ledger and checkpoints, a way to hold a load between two
 * batches, a worker that finishes a run, and the check that a finished load left no landing or staging table.
 */
import type { Client } from '@temporalio/client';
import { decodeArrayFromPayloads } from '@temporalio/common/lib/internal-non-workflow';
import type { Worker } from '@temporalio/worker';
import { checkpointOf } from '../../src/engine/heartbeat-details';
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
  /** More params of the sink: `mode`, `key`, `where`, `atomic`. */
  readonly sink?: Record<string, unknown>;
}

/** `source.csv` -> `sink.postgres` (append unless `sink` says otherwise): fused into one activity, loading in ledgered batches. */
export function salesLoad(o: SalesLoadOptions): unknown {
  return {
    name: o.name,
    ...(o.defaults ? { defaults: o.defaults } : {}),
    nodes: [
      { id: 'extract', type: 'source.csv', params: { path: o.path, columns: SALES_COLUMNS } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['extract'],
        params: { table: o.table, batchRows: o.batchRows, ...o.sink },
      },
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

/** The batch in the checkpoint of the run's last heartbeat that reached Temporal, or 0. */
export async function checkpointedBatch(client: Client, workflowId: string): Promise<number> {
  const { raw } = await client.workflow.getHandle(workflowId).describe();
  const payloads = raw.pendingActivities?.[0]?.heartbeatDetails?.payloads;
  if (!payloads?.length) return 0;
  const [details] = await decodeArrayFromPayloads(client.options.loadedDataConverter, payloads);
  const checkpoint = checkpointOf(details) as { batch?: unknown } | undefined;
  return typeof checkpoint?.batch === 'number' ? checkpoint.batch : 0;
}

/**
 * Claims batch `batchNo` of node `nodeId` of each run in a transaction left open, as a concurrent attempt would: each
 * load commits the batches before it and then waits on this claim, between two batches, until `release` rolls it
 * back. Claim before a worker picks the runs up, so that no load gets past the batch first.
 */
export async function holdLedgerBatch(
  d: TestData,
  runs: ReadonlyArray<{ workflowId: string; firstExecutionRunId: string }>,
  batchNo: number,
  nodeId = 'load',
): Promise<{ release(): Promise<void> }> {
  const client = await d.pool.connect();
  await client.query('BEGIN');
  for (const r of runs)
    await client.query(
      `INSERT INTO "${d.schema}".load_ledger (workflow_id, run_id, node_id, batch_no, row_count) VALUES ($1, $2, $3, $4, 0)`,
      [r.workflowId, r.firstExecutionRunId, nodeId, batchNo],
    );
  return {
    async release() {
      await client.query('ROLLBACK');
      client.release();
    },
  };
}

/**
 * Asserts that the finished loads of `workflowIds` left nothing behind: no table in the staging schema, no landing
 * or swapped-out table (`<table>__pw_...`) beside the targets in `targetSchema`, and no `staging_tables` entry.
 */
export async function expectNothingLeftBehind(
  d: TestData,
  targetSchema: string,
  workflowIds: readonly string[],
): Promise<void> {
  const tables = await d.rows<{ name: string }>(
    `SELECT n.nspname || '.' || c.relname AS name FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace
     WHERE c.relkind IN ('r', 'p') AND (n.nspname = $1 OR (n.nspname = $2 AND c.relname LIKE '%\\_\\_pw\\_%'))
     ORDER BY 1`,
    [d.stagingSchema, targetSchema],
  );
  expect(tables.map((t) => t.name)).toEqual([]);
  const registered = await d.rows<{ table_name: string }>(
    `SELECT table_name FROM "${d.schema}".staging_tables WHERE workflow_id = ANY($1)`,
    [workflowIds],
  );
  expect(registered).toEqual([]);
}
