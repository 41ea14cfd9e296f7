/**
 * The upsert reference: one psql session that copies the file into a temporary table and applies it to the keyed
 * table with one `INSERT ... SELECT ... ON CONFLICT (id) DO UPDATE`, as a DBA would by hand, timed from outside.
 * It computes `amount` in the SELECT, so that it writes the same columns as the pipeline.
 */
import { execFileSync } from 'node:child_process';

/** Runs the upsert of `file` into `table` (keyed on `id`); resolves with the wall time in ms. */
export function psqlUpsert(databaseUrl: string, table: string, file: string): number {
  const script = [
    'CREATE TEMP TABLE pw_bench_upsert (id bigint, ts timestamptz, region text, product text, qty integer, price numeric);',
    `\\copy pw_bench_upsert from '${file}' csv header`,
    `INSERT INTO ${table} (id, ts, region, product, qty, price, amount)`,
    '  SELECT id, ts, region, product, qty, price, qty * price FROM pw_bench_upsert',
    '  ON CONFLICT (id) DO UPDATE SET ts = EXCLUDED.ts, region = EXCLUDED.region, product = EXCLUDED.product,',
    '    qty = EXCLUDED.qty, price = EXCLUDED.price, amount = EXCLUDED.amount;',
  ].join('\n');
  const started = process.hrtime.bigint();
  execFileSync('psql', [databaseUrl, '-v', 'ON_ERROR_STOP=1', '-q', '-f', '-'], {
    input: script,
    stdio: ['pipe', 'ignore', 'inherit'],
  });
  return Number(process.hrtime.bigint() - started) / 1e6;
}
