/** A generated sales CSV (the load benchmark's data) in a temporary folder of its own, for load tests. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { generateCsv } from '../../bench/load/generate-csv';

export { SOURCE_COLUMNS as SALES_COLUMNS } from '../../bench/load/generate-csv';

/** The Postgres columns of the file, for target and reference tables. */
export const SALES_DDL = '(id bigint, ts timestamptz, region text, product text, qty integer, price numeric)';

export interface SalesFile {
  readonly path: string;
  readonly rows: number;
  remove(): void;
}

/** Writes `rows` rows (ids 1..rows) to a new temporary file. */
export async function createSalesFile(rows: number): Promise<SalesFile> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-sales-'));
  const file = path.join(dir, 'sales.csv');
  await generateCsv(file, rows);
  return { path: file, rows, remove: () => fs.rmSync(dir, { recursive: true, force: true }) };
}
