/**
 * The reference: `psql -c "\copy ... from file csv header"` into a fresh table, timed from outside.
 */
import { execFileSync } from 'node:child_process';

/** Runs psql's \copy of `file` into `table` (`options` as \copy takes them); resolves with the wall time in ms. */
export function psqlCopy(
  databaseUrl: string,
  table: string,
  columns: readonly string[],
  file: string,
  options = 'csv header',
): number {
  const started = process.hrtime.bigint();
  execFileSync(
    'psql',
    [
      databaseUrl,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `\\copy ${table} (${columns.join(', ')}) from '${file}' ${options}`,
    ],
    {
      stdio: ['ignore', 'ignore', 'inherit'],
    },
  );
  return Number(process.hrtime.bigint() - started) / 1e6;
}
