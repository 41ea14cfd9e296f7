/**
 * Writes the benchmark CSV: id bigint, ts timestamptz, region text, product text, qty int, price numeric.
 * Deterministic (a fixed-seed generator), streamed in blocks so that generating 10M rows needs little memory.
 */
import fs from 'node:fs';
import { ColumnsSchema } from '../../src/model/columns/columns';

/** The source columns of the generated file. */
export const SOURCE_COLUMNS = ColumnsSchema.parse([
  { name: 'id', type: 'bigint' },
  { name: 'ts', type: 'timestamptz' },
  { name: 'region', type: 'text' },
  { name: 'product', type: 'text' },
  { name: 'qty', type: 'int' },
  { name: 'price', type: 'numeric' },
]);

const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'ap-northeast', 'sa-east', 'af-south'];
const EPOCH = Date.UTC(2024, 0, 1);

/** Writes `rows` data rows plus a header to `file`; resolves with the file size in bytes. */
export function generateCsv(file: string, rows: number): Promise<number> {
  return writeLines(file, 'id,ts,region,product,qty,price\n', salesLines(rows));
}

function* salesLines(rows: number): Generator<string> {
  let seed = 42;
  const rand = () => {
    seed = (seed * 1_103_515_245 + 12_345) & 0x7fffffff;
    return seed;
  };
  for (let id = 1; id <= rows; id++) {
    const r = rand();
    const ts = new Date(EPOCH + (r % 31_536_000) * 1000).toISOString();
    const price = `${(r % 99_999) + 1}`.padStart(3, '0');
    yield `${id},${ts},${REGIONS[r % REGIONS.length]},product-${r % 5000},${(r % 97) + 1},${price.slice(0, -2)}.${price.slice(-2)}\n`;
  }
}

/** Writes `head` then every line to `file`, in blocks of about 1 MB; resolves with the file size in bytes. */
export async function writeLines(file: string, head: string, lines: Iterable<string>): Promise<number> {
  const out = fs.createWriteStream(file);
  let block = head;
  for (const line of lines) {
    block += line;
    if (block.length > 1 << 20) {
      if (!out.write(block)) await new Promise<void>((res) => out.once('drain', () => res()));
      block = '';
    }
  }
  out.end(block);
  await new Promise<void>((res, rej) => out.on('finish', res).on('error', rej));
  return fs.statSync(file).size;
}
