/**
 * The dirty-CSV and Parquet rounds of bench:load. One data set (bench/load/dirty-data.ts) in two files; each round
 * loads it three ways into three tables of the same shape, one after another (who goes first rotates), each after a
 * CHECKPOINT: `psql \copy ... (format csv, header)` of the dirty CSV (the reference: what Postgres itself ingests),
 * the pipeline `source.csv` -> `sink.postgres` of the same CSV, and `source.parquet` -> `sink.postgres` of the
 * Parquet file. Then the three tables must hold the same rows (count, hash that tells NULL from '').
 */
import type pg from 'pg';
import type { PipelineDefinitionInput } from '../../src/model/schema';
import { formatPipeline } from './definitions';
import { DIRTY_COLUMNS, DIRTY_DDL } from './dirty-data';
import { psqlCopy } from './psql-copy';
import type { FormatRound } from './report';
import { verifySame } from './verify-same';

export interface FormatRoundsContext {
  readonly pool: pg.Pool;
  readonly url: string;
  readonly schema: string;
  readonly rows: number;
  readonly batchRows: number;
  readonly csv: string;
  readonly parquet: string;
  /** Runs a definition on the bench's worker; resolves with its wall time and the worker's CPU for it. */
  readonly run: (definition: PipelineDefinitionInput) => Promise<{ ms: number; cpuMs: number }>;
}

const ORDERS = [
  ['psql', 'csv', 'parquet'],
  ['parquet', 'psql', 'csv'],
  ['csv', 'parquet', 'psql'],
] as const;

export async function formatRound(ctx: FormatRoundsContext, n: number): Promise<FormatRound> {
  const { pool, schema } = ctx;
  const table = {
    psql: `${schema}.dirty_psql_${n}`,
    csv: `${schema}.dirty_csv_${n}`,
    parquet: `${schema}.dirty_pq_${n}`,
  };
  await pool.query(
    Object.values(table)
      .map((t) => `CREATE TABLE ${t} ${DIRTY_DDL};`)
      .join('\n'),
  );
  await pool.query('CHECKPOINT');
  const ms = { psql: 0, csv: 0, parquet: 0 };
  const cpu = { csv: 0, parquet: 0 };
  const columns = DIRTY_COLUMNS.map((c) => c.name);
  for (const who of ORDERS[(n + ORDERS.length - 1) % ORDERS.length] as (typeof ORDERS)[number]) {
    if (who === 'psql') ms.psql = psqlCopy(ctx.url, table.psql, columns, ctx.csv, '(format csv, header)');
    else {
      const file = who === 'csv' ? ctx.csv : ctx.parquet;
      const r = await ctx.run(formatPipeline({ file, format: who, table: table[who], batchRows: ctx.batchRows }));
      ms[who] = r.ms;
      cpu[who] = r.cpuMs;
    }
    await pool.query('CHECKPOINT');
  }
  await verifySame(pool, [table.psql, table.csv, table.parquet], columns, {
    rows: ctx.rows,
    nulls: ['region', 'qty', 'note'],
    empties: ['note'],
  });
  await pool.query(`DROP TABLE ${Object.values(table).join(', ')}`);
  const rate = (t: number) => Math.round((ctx.rows / t) * 1000).toLocaleString();
  console.log(
    `dirty round ${n}: psql \\copy ${rate(ms.psql)} rows/s | source.csv ${rate(ms.csv)} rows/s ` +
      `(ratio ${(ms.psql / ms.csv).toFixed(3)}) | source.parquet ${rate(ms.parquet)} rows/s ` +
      `(ratio ${(ms.psql / ms.parquet).toFixed(3)}, to source.csv ${(ms.csv / ms.parquet).toFixed(3)})`,
  );
  return { psqlMs: ms.psql, csvMs: ms.csv, parquetMs: ms.parquet, csvCpuMs: cpu.csv, parquetCpuMs: cpu.parquet };
}
