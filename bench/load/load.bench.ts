/**
 * Load benchmark through the real product: a generated CSV (id bigint, ts timestamptz, region text, product text,
 * qty int, price numeric) run as a pipeline `source.csv` -> `transform.map` (amount = qty * price) ->
 * `sink.postgres` on a Temporal dev server by a compiled worker in its own process, against `psql \copy` of the
 * same file into the same table shape, back to back in each round (who goes first alternates). Then the same pipeline with `mode: upsert`
 * into a table keyed on id, empty and already holding every key, against psql copying the file into a temporary
 * table and applying it with INSERT ... ON CONFLICT; then a dirty CSV (quoted delimiters, doubled quotes, line
 * breaks, '' and NULLs, BOM, CRLF) and the same data as Parquet against `psql \copy` of the CSV (format-rounds.ts);
 * and the worker's peak RSS for 1M and for 10M rows.
 *
 *   npm run bench:load -- [--rows 1000000] [--rounds 11] [--upsert-rounds 3] [--batch-rows 100000]
 *                         [--dirty-rounds 5] [--rss-rows 10000000 | --rss-rows 0 to skip]
 *
 * With BENCH_RATIOS_FILE set it also writes its same-run ratios there (npm run bench:check does).
 *
 * A quick upsert-only run while developing: `-- --rows 200000 --rounds 0 --upsert-rounds 1 --rss-rows 0`.
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and scratch schemas it drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import type { PipelineDefinitionInput } from '../../src/model/schema';
import { createPools, DEFAULT_DATABASE_URL } from '../../src/platform/db/pools';
import { recordRatios } from '../check/ratios';
import { withTimeout } from '../dag/timeout';
import { startBenchTemporal } from './bench-temporal';
import { loadPipeline } from './definitions';
import { writeDirtyCsv, writeDirtyParquet } from './dirty-data';
import { formatRound } from './format-rounds';
import { generateCsv, SOURCE_COLUMNS } from './generate-csv';
import { psqlCopy } from './psql-copy';
import { psqlUpsert } from './psql-upsert';
import { reportLoad, type LoadFigures } from './report';
import { verifyLoad } from './verify';
import { deployedWorkerEnv, samplePeak, startBenchWorker } from './worker-process';

const SCHEMA = 'bench_load';
const META = 'bench_load_meta';
const STAGING = 'bench_load_staging';
const DDL = `(id bigint, ts timestamptz, region text, product text, qty integer, price numeric, amount numeric)`;

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '11' },
      'upsert-rounds': { type: 'string', default: '3' },
      'dirty-rounds': { type: 'string', default: '5' },
      'batch-rows': { type: 'string', default: '100000' },
      'rss-rows': { type: 'string', default: '10000000' },
    },
  });
  const rows = Number(values.rows);
  const rounds = Number(values.rounds);
  const upsertRounds = Number(values['upsert-rounds']);
  const dirtyRounds = Number(values['dirty-rounds']);
  const batchRows = Number(values['batch-rows']);
  const rssRows = Number(values['rss-rows']);
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-load-'));
  const registry = createPools({ defaultUrl: url });
  const pool = registry.getPool();
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const file = path.join(dir, 'sales.csv');
    await timed(`generate ${rows.toLocaleString()} rows`, () => generateCsv(file, rows));
    const dirty = { csv: path.join(dir, 'dirty.csv'), parquet: path.join(dir, 'dirty.parquet') };
    if (dirtyRounds > 0) {
      await timed(`generate ${rows.toLocaleString()} dirty rows as CSV`, () => writeDirtyCsv(dirty.csv, rows));
      await timed(`and as Parquet`, () => writeDirtyParquet(dirty.parquet, rows));
    }
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await pool.query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`);

    // The worker runs as deployed: from a workflow bundle built ahead of time, not bundling at start.
    const { address, client, bundle } = await startBenchTemporal(dir, cleanups);
    let workers = 0;
    // Each worker on a task queue of its own: a fresh process is what a memory figure needs.
    const startWorker = async () => {
      const taskQueue = `bench-load-${++workers}`;
      const worker = await startBenchWorker(
        deployedWorkerEnv({
          address,
          taskQueue: taskQueue,
          bundle: bundle,
          url: url,
          schema: META,
          stagingSchema: STAGING,
        }),
      );
      cleanups.push(() => worker.stop());
      console.log(`worker pid ${worker.pid} ready on ${taskQueue}, RSS ${mb(worker.rss())} MB`);
      return { ...worker, taskQueue, restingRss: worker.rss() };
    };
    type BenchWorker = Awaited<ReturnType<typeof startWorker>>;

    let runNo = 0;
    const runDefinition = async (worker: BenchWorker, definition: PipelineDefinitionInput) => {
      runNo++;
      const peak = samplePeak(() => worker.rss());
      const cpuBefore = worker.cpuMs();
      const started = process.hrtime.bigint();
      const handle = await client.workflow.start('pipeline', {
        taskQueue: worker.taskQueue,
        workflowId: `bench-load-${Date.now()}-${runNo}`,
        args: [{ definition }],
      });
      await withTimeout(handle.result(), 30 * 60_000, `pipeline run ${runNo}`);
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      return { ms, rss: peak.stop(), cpuMs: worker.cpuMs() - cpuBefore };
    };
    const runPipeline = (worker: BenchWorker, source: string, table: string, mode: 'append' | 'upsert') =>
      runDefinition(worker, loadPipeline({ name: 'bench-load', file: source, table, mode, batchRows }));
    const worker = await startWorker();
    const columns = SOURCE_COLUMNS.map((c) => c.name);

    // A whole unmeasured load first, as in every round: the JIT compiles the hot path during the first ~1M rows.
    await pool.query(`CREATE TABLE ${SCHEMA}.warm ${DDL}`);
    await runPipeline(worker, file, `${SCHEMA}.warm`, 'append');
    await pool.query(`DROP TABLE ${SCHEMA}.warm`);
    if (upsertRounds > 0) {
      await pool.query(`CREATE TABLE ${SCHEMA}.warm ${DDL}; ALTER TABLE ${SCHEMA}.warm ADD PRIMARY KEY (id)`);
      await runPipeline(worker, file, `${SCHEMA}.warm`, 'upsert');
      await pool.query(`DROP TABLE ${SCHEMA}.warm`);
    }

    const figures: LoadFigures = { rows, append: [], upsert: [], upsertFull: [], formats: [], formatRows: rows };
    // One round: psql into a fresh table and the pipeline into another, back to back (odd rounds psql first, even
    // rounds the pipeline), each after a CHECKPOINT; then both tables are checked against each other. Append: psql
    // \copy. Upsert: both tables keyed on id, empty or already holding every key (other values); psql copies into a
    // temporary table and applies it with INSERT ... ON CONFLICT.
    type Round = 'append' | 'upsert' | 'upsertFull';
    const round = async (kind: Round, n: number): Promise<void> => {
      const mode = kind === 'append' ? 'append' : 'upsert';
      const name = kind === 'upsertFull' ? 'upsert_full' : kind;
      const a = `${SCHEMA}.psql_${name}_${n}`;
      const b = `${SCHEMA}.pipe_${name}_${n}`;
      await pool.query(`CREATE TABLE ${a} ${DDL}; CREATE TABLE ${b} ${DDL}`);
      if (mode === 'upsert')
        await pool.query(`ALTER TABLE ${a} ADD PRIMARY KEY (id); ALTER TABLE ${b} ADD PRIMARY KEY (id)`);
      if (kind === 'upsertFull')
        for (const t of [a, b]) {
          await pool.query(
            `INSERT INTO ${t} SELECT g, '2000-01-01', 'old', 'old', 0, 0, 0 FROM generate_series(1, ${rows}) g`,
          );
          await pool.query(`VACUUM ANALYZE ${t}`);
        }
      await pool.query('CHECKPOINT');
      let psqlMs = 0;
      let pipe = { ms: 0, rss: 0, cpuMs: 0 };
      for (const who of n % 2 === 1 ? ['psql', 'pipe'] : ['pipe', 'psql']) {
        if (who === 'psql') psqlMs = mode === 'append' ? psqlCopy(url, a, columns, file) : psqlUpsert(url, a, file);
        else pipe = await runPipeline(worker, file, b, mode);
        await pool.query('CHECKPOINT');
      }
      await verifyLoad(pool, a, b, rows);
      figures[kind].push({ psqlMs, pipeMs: pipe.ms, rss: pipe.rss, workerCpuMs: pipe.cpuMs });
      const baseline = mode === 'append' ? 'psql \\copy' : 'psql copy + insert';
      console.log(
        `${kind} round ${n}: ${baseline} ${rate(rows, psqlMs)} rows/s | pipewright ${rate(rows, pipe.ms)} rows/s | ` +
          `ratio ${(psqlMs / pipe.ms).toFixed(3)} | worker CPU ${(pipe.cpuMs / 1000).toFixed(2)} s | ` +
          `worker peak RSS ${mb(pipe.rss)} MB`,
      );
      await pool.query(`DROP TABLE ${a}, ${b}`);
    };
    for (let n = 1; n <= rounds; n++) await round('append', n);
    for (let n = 1; n <= upsertRounds; n++) {
      await round('upsert', n);
      await round('upsertFull', n);
    }
    const formats = {
      pool,
      url,
      schema: SCHEMA,
      rows,
      batchRows,
      ...dirty,
      run: (d: PipelineDefinitionInput) => runDefinition(worker, d),
    };
    if (dirtyRounds > 0) await formatRound(formats, 0); // unmeasured: warms the Parquet reader up
    for (let n = 1; n <= dirtyRounds; n++) figures.formats.push(await formatRound(formats, n));
    if (rssRows > 0) {
      // Memory: a fresh worker per size, each loading the file once (append), sampled every 20 ms.
      await worker.stop();
      const fresh = async (source: string, n: number) => {
        const w = await startWorker();
        const b = `${SCHEMA}.rss_${n}`;
        await pool.query(`CREATE TABLE ${b} ${DDL}`);
        const pipe = await runPipeline(w, source, b, 'append');
        const { rows: counted } = await pool.query<{ n: string }>(`SELECT count(*) n FROM ${b}`);
        if (Number(counted[0]?.n) !== n) throw new Error(`expected ${n} rows, found ${counted[0]?.n}`);
        await pool.query(`DROP TABLE ${b}`);
        await w.stop();
        console.log(
          `fresh worker, append ${n.toLocaleString()} rows: ${rate(n, pipe.ms)} rows/s | ` +
            `RSS at rest ${mb(w.restingRss)} MB, peak ${mb(pipe.rss)} MB`,
        );
        return { rows: n, pipeMs: pipe.ms, rss: pipe.rss, restingRss: w.restingRss };
      };
      figures.small = await fresh(file, rows);
      const big = path.join(dir, 'big.csv');
      fs.rmSync(file);
      await timed(`generate ${rssRows.toLocaleString()} rows`, () => generateCsv(big, rssRows));
      figures.big = await fresh(big, rssRows);
    }
    recordRatios('load', reportLoad(figures), 'higher');
  } finally {
    for (const step of cleanups.reverse()) await withTimeout(step(), 20_000, 'cleanup').catch(console.error);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pool
      .query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`)
      .catch(() => undefined);
    await registry.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

async function timed<T>(what: string, fn: () => Promise<T>): Promise<T> {
  const t0 = Date.now();
  const result = await fn();
  console.log(`${what}: ${Date.now() - t0} ms`);
  return result;
}

const rate = (rows: number, ms: number): string => Math.round((rows / ms) * 1000).toLocaleString();
const mb = (bytes: number): string => (bytes / 2 ** 20).toFixed(0);

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
