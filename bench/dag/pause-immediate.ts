/**
 * (d) How long an immediate pause takes while a data node runs: a CSV-to-Postgres load (fused source.csv ->
 * sink.postgres, 1,000-row batches) is mid-load, and `PipewrightClient.pause(id, { mode: 'immediate' })` returns
 * once the node has stopped: its open batch rolled back, its checkpoint (the last committed batch) reported to the
 * workflow. Timed from the call to its return, per run, next to the drain pause of the same runs' shape (c).
 *
 * The cancellation reaches an activity only in a heartbeat's response, and a node heartbeats every second (a third of
 * a shorter heartbeat timeout): that interval is the floor, printed with the figures.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import { setTimeout as sleep } from 'node:timers/promises';
import pg from 'pg';
import { PipewrightClient } from '../../src/client/client';
import { DEFAULT_DATABASE_URL } from '../../src/platform/db/pools';
import { generateCsv, SOURCE_COLUMNS } from '../load/generate-csv';
import type { BenchEnv } from './env';
import { withTimeout } from './timeout';

export interface PauseImmediateResult {
  readonly ackMs: readonly number[];
  /** Runs whose returned status did not show the load back to pending with a checkpoint of a committed batch. */
  readonly wrong: number;
  /** Batches committed before the pause, per run (the load was mid-way). */
  readonly batchesBefore: readonly number[];
}

const ROWS = 2_000_000;
const BATCH_ROWS = 1_000;

/** The run's committed batches so far (the ledger), for the node `load`. */
async function committed(pool: pg.Pool, workflowId: string): Promise<number> {
  const { rows } = await pool.query<{ n: number }>(
    `SELECT count(*)::int n FROM pipewright.load_ledger WHERE workflow_id = $1 AND node_id = 'load'`,
    [workflowId],
  );
  return rows[0]?.n ?? 0;
}

export async function benchPauseImmediate(
  env: BenchEnv,
  { runs = 60, warmups = 2 } = {},
): Promise<PauseImmediateResult> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-pause-'));
  const file = path.join(dir, 'sales.csv');
  await generateCsv(file, ROWS);
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 2 });
  const schema = `bench_pause_${randomUUID().slice(0, 8)}`;
  await pool.query(`CREATE SCHEMA ${schema}`);
  const pw = new PipewrightClient(env.client, { taskQueue: env.taskQueue });
  const ackMs: number[] = [];
  const batchesBefore: number[] = [];
  let wrong = 0;
  try {
    for (let i = 0; i < warmups + runs; i++) {
      const workflowId = `bench-pause-now-${randomUUID().slice(0, 8)}`;
      const definition = {
        name: 'bench-pause-immediate',
        defaults: { retry: { maximumAttempts: 1 } },
        nodes: [
          { id: 'extract', type: 'source.csv', params: { path: file, columns: SOURCE_COLUMNS } },
          {
            id: 'load',
            type: 'sink.postgres',
            needs: ['extract'],
            params: { table: `${schema}.t${i}`, createTable: true, batchRows: BATCH_ROWS },
          },
        ],
      };
      const handle = await env.client.workflow.start('pipeline', {
        taskQueue: env.taskQueue,
        workflowId,
        args: [{ definition }],
      });
      try {
        // Mid-load: some batches committed, many more to go.
        const deadline = Date.now() + 20_000;
        while ((await committed(pool, workflowId)) < 20) {
          if (Date.now() > deadline) throw new Error(`run ${workflowId}: the load did not start in time`);
          await sleep(10);
        }
        // Pause at every phase of the node's one-second heartbeat (which carries the cancellation to it), not at the
        // same moment after its start each run.
        await sleep((i * 379) % 1_000);
        const before = await committed(pool, workflowId);
        const t0 = performance.now();
        const status = await withTimeout(pw.pause(workflowId, { mode: 'immediate' }), 30_000, `pause of ${workflowId}`);
        const t1 = performance.now();
        if (i < warmups) continue;
        ackMs.push(t1 - t0);
        batchesBefore.push(before);
        const load = status.nodes.find((n) => n.id === 'load');
        if (!status.paused || load?.state !== 'pending' || status.counts.running !== 0) wrong += 1;
      } finally {
        await handle.terminate('pause benchmark done').catch(() => undefined);
        await pool.query(`DROP TABLE IF EXISTS ${schema}.t${i}`).catch(() => undefined);
      }
    }
  } finally {
    await pool.query(`DROP SCHEMA ${schema} CASCADE`).catch(() => undefined);
    await pool.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { ackMs, wrong, batchesBefore };
}
