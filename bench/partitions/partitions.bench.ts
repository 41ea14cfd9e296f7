/**
 * Partitioned load benchmark through the real product: a generated CSV (id bigint, ts timestamptz, region text,
 * product text, qty int, price numeric) loaded as `source.csv` with `split: { parts: N }` -> `sink.postgres`
 * (append) on a Temporal dev server, first by one compiled worker process, then by two worker processes on the same
 * task queue, against `psql \copy` of the same file into the same table shape, in the same run. Prints rows/s of
 * each, the ratios, and checks that every table holds the same rows (count and column sums).
 *
 *   npm run bench:partitions -- [--rows 10000000] [--parts 8] [--batch-rows 100000]
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and scratch schemas it drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type pg from 'pg';
import { createPools, DEFAULT_DATABASE_URL } from '../../src/platform/db/pools';
import { withTimeout } from '../dag/timeout';
import { startBenchTemporal } from '../load/bench-temporal';
import { generateCsv, SOURCE_COLUMNS } from '../load/generate-csv';
import { psqlCopy } from '../load/psql-copy';
import { deployedWorkerEnv, startBenchWorker } from '../load/worker-process';

const SCHEMA = 'bench_parts';
const META = 'bench_parts_meta';
const STAGING = 'bench_parts_staging';
const DDL = '(id bigint, ts timestamptz, region text, product text, qty integer, price numeric)';
const QUEUE = 'bench-partitions';

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '10000000' },
      parts: { type: 'string', default: '8' },
      'batch-rows': { type: 'string', default: '100000' },
    },
  });
  const rows = Number(values.rows);
  const parts = Number(values.parts);
  const batchRows = Number(values['batch-rows']);
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-parts-'));
  const registry = createPools({ defaultUrl: url });
  const pool = registry.getPool();
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const file = path.join(dir, 'sales.csv');
    const t0 = Date.now();
    await generateCsv(file, rows);
    console.log(`generated ${rows.toLocaleString()} rows (${mb(fs.statSync(file).size)} MB) in ${Date.now() - t0} ms`);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await pool.query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`);
    const { address, client, bundle } = await startBenchTemporal(dir, cleanups);
    const startWorker = async () => {
      const worker = await startBenchWorker(
        deployedWorkerEnv({
          address: address,
          taskQueue: QUEUE,
          bundle: bundle,
          url: url,
          schema: META,
          stagingSchema: STAGING,
        }),
      );
      cleanups.push(() => worker.stop());
      console.log(`worker pid ${worker.pid} ready on ${QUEUE}`);
      return worker;
    };
    let runNo = 0;
    const load = async (table: string): Promise<number> => {
      await pool.query(`CREATE TABLE ${table} ${DDL}`);
      await pool.query('CHECKPOINT');
      const definition = {
        name: 'bench-partitions',
        defaults: { parallelism: parts },
        nodes: [
          { id: 'read', type: 'source.csv', params: { path: file, columns: SOURCE_COLUMNS, split: { parts } } },
          { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, batchRows } },
        ],
      };
      const started = process.hrtime.bigint();
      const handle = await client.workflow.start('pipeline', {
        taskQueue: QUEUE,
        workflowId: `bench-partitions-${Date.now()}-${++runNo}`,
        args: [{ definition }],
      });
      await withTimeout(handle.result(), 60 * 60_000, `pipeline run ${runNo}`);
      return Number(process.hrtime.bigint() - started) / 1e6;
    };

    const columns = SOURCE_COLUMNS.map((c) => c.name);
    await pool.query(`CREATE TABLE ${SCHEMA}.psql ${DDL}`);
    await pool.query('CHECKPOINT');
    const psqlMs = psqlCopy(url, `${SCHEMA}.psql`, columns, file);
    console.log(`psql \\copy: ${rate(rows, psqlMs)} rows/s (${(psqlMs / 1000).toFixed(1)} s)`);
    await startWorker();
    const oneMs = await load(`${SCHEMA}.one_worker`);
    console.log(`one worker, split ${parts}: ${rate(rows, oneMs)} rows/s (${(oneMs / 1000).toFixed(1)} s)`);
    await startWorker();
    const twoMs = await load(`${SCHEMA}.two_workers`);
    console.log(`two workers, split ${parts}: ${rate(rows, twoMs)} rows/s (${(twoMs / 1000).toFixed(1)} s)`);
    for (const t of ['one_worker', 'two_workers']) await sameRows(pool, `${SCHEMA}.psql`, `${SCHEMA}.${t}`, rows);
    console.log('verified: both loads hold the rows of psql \\copy (count and column sums)');
    console.log(
      `ratios: two workers / one worker ${(oneMs / twoMs).toFixed(2)}, one worker / psql ${(psqlMs / oneMs).toFixed(2)}, ` +
        `two workers / psql ${(psqlMs / twoMs).toFixed(2)} (${os.cpus().length} cores, shared with Postgres and Temporal)`,
    );
  } finally {
    for (const c of cleanups.reverse()) await c().catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pool.query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`).catch(() => 0);
    await registry.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Throws when `b` does not hold the rows of `a` (count and column sums) or `a` not `expected` rows. */
async function sameRows(pool: pg.Pool, a: string, b: string, expected: number): Promise<void> {
  const q = (t: string) =>
    pool.query(
      `SELECT count(*) n, sum(id) ids, sum(extract(epoch FROM ts)) ts, sum(hashtext(region || product)) txt, sum(qty) qty, sum(price) price FROM ${t}`,
    );
  const [x, y] = await Promise.all([q(a), q(b)]);
  if (JSON.stringify(x.rows[0]) !== JSON.stringify(y.rows[0]))
    throw new Error(`${b} differs from ${a}: ${JSON.stringify(y.rows[0])} vs ${JSON.stringify(x.rows[0])}`);
  if (Number(x.rows[0]?.n) !== expected) throw new Error(`expected ${expected} rows, ${a} holds ${x.rows[0]?.n}`);
}

const rate = (rows: number, ms: number): string => Math.round(rows / (ms / 1000)).toLocaleString();
const mb = (bytes: number): string => (bytes / 1024 / 1024).toFixed(0);

run().catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
