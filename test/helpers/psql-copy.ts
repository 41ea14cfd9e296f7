/** The reference load of the data tests: psql's `\copy` of a file into a table, as a user would run it. */
import { execFileSync } from 'node:child_process';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { quoteQualified } from '../../src/model/identifiers';

/** Runs `\copy <table> FROM <file> (<options>)` through psql against the tests' database. */
export function psqlCopy(table: string, file: string, options = 'FORMAT csv, HEADER true'): void {
  if (file.includes("'")) throw new Error(`psqlCopy: a path with a quote is not supported: ${file}`);
  execFileSync(
    'psql',
    [
      process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
      '-v',
      'ON_ERROR_STOP=1',
      '-q',
      '-c',
      `\\copy ${quoteQualified(table)} FROM '${file}' (${options})`,
    ],
    { stdio: ['ignore', 'ignore', 'pipe'] },
  );
}
