/**
 * The benchmark's "files people really have": the sales rows plus a free-text `note`, written twice from one seeded
 * generator, as a dirty CSV and as Parquet, so that both hold the same data.
 *
 * The CSV has a UTF-8 BOM and CRLF line ends; quoted fields holding the delimiter, doubled quotes and embedded line
 * breaks; empty strings (`""`) and NULLs (unquoted empty fields, in text, int and numeric columns). The Parquet file
 * (hyparquet-writer, Snappy, 100K-row row groups) types its columns: INT64 id, TIMESTAMP(MICROS, UTC) ts, STRING
 * region / product / note, INT32 qty, DECIMAL(18, 2) price; NULLs where the CSV has them.
 */
import fs from 'node:fs';
import type * as HyparquetWriter from 'hyparquet-writer/types/node';
import { ColumnsSchema } from '../../src/model/columns/columns';
import { SOURCE_COLUMNS, writeLines } from './generate-csv';

/** The columns of both files, and of the target tables (in this order). */
export const DIRTY_COLUMNS = [...SOURCE_COLUMNS, ...ColumnsSchema.parse([{ name: 'note', type: 'text' }])];
export const DIRTY_DDL = `(id bigint, ts timestamptz, region text, product text, qty integer, price numeric, note text)`;

interface DirtyRow {
  id: number;
  /** ms since the epoch (whole seconds). */
  ts: number;
  region: string | null;
  product: string;
  qty: number | null;
  /** Hundredths. */
  priceCents: number;
  note: string | null;
}

const REGIONS = ['eu-west', 'eu-central', 'us-east', 'us-west', 'ap-south', 'ap-northeast', 'sa-east', 'af-south'];
const EPOCH = Date.UTC(2024, 0, 1);
const NOTES: ReadonlyArray<(r: number) => string | null> = [
  () => '',
  () => null,
  (r) => `first line\nsecond line, item ${r % 1000}`,
  (r) => `said "ok", then "no" (${r % 77})`,
  () => 'café, naïve; ✓ 日本',
  (r) => `plain note ${r % 10_000}`,
  (r) => `tab\tand "quote" and, comma\r\nand CRLF ${r % 50}`,
  (r) => `${r % 100_000}`,
];

function* dirtyRows(rows: number): Generator<DirtyRow> {
  let seed = 7;
  // mulberry32: every bit of it varies (a plain LCG's low bits repeat with short periods).
  const rand = () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return (t ^ (t >>> 14)) >>> 0;
  };
  for (let id = 1; id <= rows; id++) {
    const r = rand();
    const s = rand();
    yield {
      id,
      ts: EPOCH + (r % 31_536_000) * 1000,
      region: s % 10 === 0 ? null : (REGIONS[r % REGIONS.length] as string),
      product:
        s % 7 === 0 ? `product-${r % 5000}, large` : s % 11 === 0 ? `the "big" ${r % 90}` : `product-${r % 5000}`,
      qty: s % 20 === 1 ? null : (r % 97) + 1,
      priceCents: (r % 99_999) + 1,
      note: (NOTES[s % NOTES.length] as (r: number) => string | null)(r),
    };
  }
}

const priceText = (cents: number): string => {
  const p = `${cents}`.padStart(3, '0');
  return `${p.slice(0, -2)}.${p.slice(-2)}`;
};
const quoted = (v: string): string => `"${v.replaceAll('"', '""')}"`;
/** A text field: NULL unquoted and empty, anything else quoted when it needs to be (or is empty). */
const textField = (v: string | null): string => (v === null ? '' : v === '' || /[",\r\n]/.test(v) ? quoted(v) : v);

/** Writes the dirty CSV (BOM, CRLF, a header); resolves with its size in bytes. */
export function writeDirtyCsv(file: string, rows: number): Promise<number> {
  return writeLines(file, `\uFEFF${DIRTY_COLUMNS.map((c) => c.name).join(',')}\r\n`, dirtyLines(rows));
}

function* dirtyLines(rows: number): Generator<string> {
  for (const row of dirtyRows(rows))
    yield (
      `${row.id},${new Date(row.ts).toISOString()},${textField(row.region)},${textField(row.product)},` +
      `${row.qty ?? ''},${priceText(row.priceCents)},${textField(row.note)}\r\n`
    );
}

// moduleResolution node reads the package's browser types; the Node entry point's are these.
type ParquetWriter = typeof HyparquetWriter;
// hyparquet-writer ships only ES modules; see src/data/formats/parquet-lib.ts for why the import is built at run time.
const nativeImport = new Function('s', 'return import(s)') as (specifier: string) => Promise<ParquetWriter>;

const optional = (name: string, type: string, extra: Record<string, unknown> = {}) => ({
  name,
  type,
  repetition_type: 'OPTIONAL',
  ...extra,
});

/** Writes the same rows as Parquet; resolves with the file size in bytes. */
export async function writeDirtyParquet(file: string, rows: number): Promise<number> {
  const { parquetWriteFile } = await nativeImport('hyparquet-writer');
  const cols = {
    id: new Array<bigint>(rows),
    ts: new Array<bigint>(rows),
    region: new Array<string | null>(rows),
    product: new Array<string>(rows),
    qty: new Array<number | null>(rows),
    price: new Array<bigint>(rows),
    note: new Array<string | null>(rows),
  };
  let i = 0;
  for (const row of dirtyRows(rows)) {
    cols.id[i] = BigInt(row.id);
    cols.ts[i] = BigInt(row.ts) * 1000n;
    cols.region[i] = row.region;
    cols.product[i] = row.product;
    cols.qty[i] = row.qty;
    cols.price[i] = BigInt(row.priceCents);
    cols.note[i] = row.note;
    i++;
  }
  const string = { converted_type: 'UTF8', logical_type: { type: 'STRING' } };
  const schema = [
    { name: 'root', num_children: 7 },
    optional('id', 'INT64'),
    optional('ts', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' } }),
    optional('region', 'BYTE_ARRAY', string),
    optional('product', 'BYTE_ARRAY', string),
    optional('qty', 'INT32'),
    optional('price', 'INT64', {
      converted_type: 'DECIMAL',
      scale: 2,
      precision: 18,
      logical_type: { type: 'DECIMAL', scale: 2, precision: 18 },
    }),
    optional('note', 'BYTE_ARRAY', string),
  ];
  parquetWriteFile({
    filename: file,
    schema: schema as Parameters<ParquetWriter['parquetWriteFile']>[0]['schema'],
    columnData: Object.entries(cols).map(([name, data]) => ({ name, data })),
    rowGroupSize: 100_000,
    codec: 'SNAPPY',
  });
  return fs.statSync(file).size;
}
