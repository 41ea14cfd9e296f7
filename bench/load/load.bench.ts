/**
 * Load benchmark: a generated CSV (default 1M rows) through the pipewright path (CSV reader, column checks,
 * one computed column, exactly-once COPY load) against `psql \copy` of the same file, in the same run.
 *
 *   npx ts-node --transpile-only bench/load/load.bench.ts [--rows 1000000] [--rounds 3] [--batch-rows 100000]
 *
 * Uses DATABASE_URL (default postgres://postgres@127.0.0.1:5432/postgres) and a scratch schema it drops.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { migrate } from '../../src/db/migrate';
import { createPoolRegistry, DEFAULT_DATABASE_URL } from '../../src/db/pools';
import { generateCsv } from './generate-csv';
import { pipelineLoad, SOURCE_COLUMNS } from './pipeline-load';
import { psqlCopy } from './psql-copy';
import { verifyLoad } from './verify';

const SCHEMA = 'bench_load';
const DDL = `(id bigint, ts timestamptz, region text, product text, qty integer, price numeric, amount numeric)`;

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      rows: { type: 'string', default: '1000000' },
      rounds: { type: 'string', default: '3' },
      'batch-rows': { type: 'string', default: '100000' },
    },
  });
  const rows = Number(values.rows);
  const rounds = Number(values.rounds);
  const batchRows = Number(values['batch-rows']);
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-'));
  const file = path.join(dir, 'sales.csv');
  const registry = createPoolRegistry({ defaultUrl: url });
  const pool = registry.getPool();
  try {
    const t0 = Date.now();
    const bytes = await generateCsv(file, rows);
    console.log(`generated ${rows.toLocaleString()} rows, ${(bytes / 1e6).toFixed(1)} MB in ${Date.now() - t0} ms`);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    await migrate(pool, { schema: SCHEMA });
    const results: { psql: number; pipe: number; rss: number }[] = [];
    for (let round = 1; round <= rounds; round++) {
      const a = `${SCHEMA}.psql_${round}`;
      const b = `${SCHEMA}.pipe_${round}`;
      await pool.query(`CREATE TABLE ${a} ${DDL}; CREATE TABLE ${b} ${DDL}; CHECKPOINT`);
      const psqlMs = psqlCopy(
        url,
        a,
        SOURCE_COLUMNS.map((c) => c.name),
        file,
      );
      await pool.query('CHECKPOINT');
      let peakRss = process.memoryUsage.rss();
      const sampler = setInterval(() => (peakRss = Math.max(peakRss, process.memoryUsage.rss())), 20);
      const { result, ms } = await pipelineLoad({
        pool,
        file,
        table: b,
        projectSchema: SCHEMA,
        workflowId: `bench-${Date.now()}-${round}`,
        batchRows,
      });
      clearInterval(sampler);
      await verifyLoad(pool, a, b, result.rows);
      results.push({ psql: psqlMs, pipe: ms, rss: peakRss });
      console.log(
        `round ${round}: psql \\copy ${fmt(rows, psqlMs)} | pipewright ${fmt(result.rows, ms)} in ${result.batches} batches | ratio ${(psqlMs / ms).toFixed(3)} | peak RSS ${(peakRss / 2 ** 20).toFixed(0)} MB`,
      );
      await pool.query(`DROP TABLE ${a}, ${b}`);
    }
    const best = (k: 'psql' | 'pipe') => Math.min(...results.map((r) => r[k]));
    const median = (k: 'psql' | 'pipe') =>
      [...results.map((r) => r[k])].sort((x, y) => x - y)[Math.floor(results.length / 2)] as number;
    console.table({
      'psql \\copy (a)': { 'rows/s best': rate(rows, best('psql')), 'rows/s median': rate(rows, median('psql')) },
      'pipewright (b)': { 'rows/s best': rate(rows, best('pipe')), 'rows/s median': rate(rows, median('pipe')) },
      'ratio b/a': {
        'rows/s best': +(best('psql') / best('pipe')).toFixed(3),
        'rows/s median': +(median('psql') / median('pipe')).toFixed(3),
      },
    });
    console.log(
      `peak RSS during the pipewright load: ${(Math.max(...results.map((r) => r.rss)) / 2 ** 20).toFixed(0)} MB; process maxRSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB`,
    );
  } finally {
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await registry.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

const rate = (rows: number, ms: number) => Math.round((rows / ms) * 1000);
const fmt = (rows: number, ms: number) => `${rate(rows, ms).toLocaleString()} rows/s (${ms.toFixed(0)} ms)`;

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
