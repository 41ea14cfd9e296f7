// Writes the Parquet files the source.parquet tests read, with hyparquet-writer (ES modules only, hence a script run
// by node outside Jest). Usage: node write-fixtures.mjs <kind> <out> [rows | input]
//   types:   one column of every mapped type, with NULLs, edge values and decimals past a double's precision
//   flights: the first [rows] rows of vega-datasets' flights-3m.parquet, same schema and row group size (or the
//            row group size given after the rows)
//   fixed:   a FIXED_LEN_BYTE_ARRAY column without a logical type next to an int column
//   csv:     node write-fixtures.mjs csv <out.csv> <in.parquet>: the reference for a flat file, read by hyparquet's
//            own conversions (timestamps as JS Dates, to the millisecond), one row group at a time, as COPY CSV
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { asyncBufferFromFile, parquetMetadataAsync, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { parquetWriteFile } from 'hyparquet-writer';

const [kind, out, rowsArg, groupArg] = process.argv.slice(2);
const here = path.dirname(fileURLToPath(import.meta.url));
export const FLIGHTS = path.join(here, '../../../node_modules/vega-datasets/data/flights-3m.parquet');

const opt = (name, type, extra = {}) => ({ name, type, repetition_type: 'OPTIONAL', ...extra });

async function types() {
  const schema = [
    { name: 'root', num_children: 17 },
    opt('i32', 'INT32'),
    opt('i16', 'INT32', { converted_type: 'INT_16', logical_type: { type: 'INTEGER', bitWidth: 16, isSigned: true } }),
    opt('u32', 'INT32', {
      converted_type: 'UINT_32',
      logical_type: { type: 'INTEGER', bitWidth: 32, isSigned: false },
    }),
    opt('i64', 'INT64'),
    opt('u64', 'INT64', {
      converted_type: 'UINT_64',
      logical_type: { type: 'INTEGER', bitWidth: 64, isSigned: false },
    }),
    opt('f64', 'DOUBLE'),
    opt('f32', 'FLOAT'),
    opt('dec', 'INT64', {
      converted_type: 'DECIMAL',
      scale: 4,
      precision: 18,
      logical_type: { type: 'DECIMAL', scale: 4, precision: 18 },
    }),
    opt('dec38', 'FIXED_LEN_BYTE_ARRAY', {
      type_length: 16,
      converted_type: 'DECIMAL',
      scale: 10,
      precision: 38,
      logical_type: { type: 'DECIMAL', scale: 10, precision: 38 },
    }),
    opt('s', 'BYTE_ARRAY', { converted_type: 'UTF8', logical_type: { type: 'STRING' } }),
    opt('js', 'BYTE_ARRAY', { converted_type: 'JSON', logical_type: { type: 'JSON' } }),
    opt('b', 'BOOLEAN'),
    opt('d', 'INT32', { converted_type: 'DATE', logical_type: { type: 'DATE' } }),
    opt('ts_ms', 'INT64', {
      converted_type: 'TIMESTAMP_MILLIS',
      logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' },
    }),
    opt('ts_us', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' } }),
    opt('ts_ns', 'INT64', { logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'NANOS' } }),
    {
      name: 'Tags List',
      repetition_type: 'OPTIONAL',
      num_children: 1,
      converted_type: 'LIST',
      logical_type: { type: 'LIST' },
    },
    { name: 'list', repetition_type: 'REPEATED', num_children: 1 },
    opt('element', 'INT64'),
  ];
  const N = null;
  const columnData = [
    ['i32', [1, -2147483648, 2147483647, N]],
    ['i16', [1, -32768, 32767, N]],
    ['u32', [1, 0, 4294967295, N]],
    ['i64', [1n, -9223372036854775808n, 9223372036854775807n, N]],
    ['u64', [1n, 0n, 18446744073709551615n, N]],
    ['f64', [1.5, -0.1, 1e300, N]],
    ['f32', [1.5, -0.25, 3.4e38, N]],
    ['dec', [12345n, -1n, 999999999999999999n, N]], // unscaled: 1.2345, -0.0001, 99999999999999.9999
    ['dec38', [10000000000n, -12345678901234567890123456789n, 99999999999999999999999999999999999999n, N]],
    ['s', ['a', 'tab\there "q" \\ é', '', N]],
    ['js', [{ a: 1 }, [1, 'x', null], 'str', N]],
    ['b', [true, false, true, N]],
    ['d', [new Date('2024-02-29'), new Date('1900-01-01'), new Date('9999-12-31'), N]],
    [
      'ts_ms',
      [new Date('2024-02-29T12:34:56.789Z'), new Date('1969-12-31T23:59:59.999Z'), new Date('2000-01-01T00:00:00Z'), N],
    ],
    ['ts_us', [1709210096789012n, -1n, 946684800000001n, N]],
    ['ts_ns', [1709210096789012345n, -1000n, 946684800000000999n, N]],
    ['Tags List', [[1n, 2n], [], [9007199254740993n], N]],
  ].map(([name, data]) => ({ name, data }));
  parquetWriteFile({ filename: out, schema, columnData, codec: 'SNAPPY' });
}

async function flights(rows, groupRows) {
  const file = await asyncBufferFromFile(FLIGHTS);
  const metadata = await parquetMetadataAsync(file);
  const data = await parquetReadObjects({ file, metadata, rowEnd: rows, compressors, utf8: true });
  const names = metadata.schema.slice(1).map((e) => e.name);
  const columnData = names.map((name) => ({ name, data: data.map((r) => r[name] ?? null) }));
  const rowGroupSize = groupRows > 0 ? groupRows : Number(metadata.row_groups[0].num_rows);
  parquetWriteFile({ filename: out, schema: metadata.schema, columnData, rowGroupSize, codec: 'SNAPPY' });
}

async function fixed() {
  const schema = [
    { name: 'root', num_children: 2 },
    opt('id', 'INT32'),
    opt('hash', 'FIXED_LEN_BYTE_ARRAY', { type_length: 4 }),
  ];
  const columnData = [
    { name: 'id', data: [1, 2] },
    { name: 'hash', data: [new Uint8Array([1, 2, 3, 4]), null] },
  ];
  parquetWriteFile({ filename: out, schema, columnData });
}

async function csv(input) {
  const file = await asyncBufferFromFile(input);
  const metadata = await parquetMetadataAsync(file);
  const fd = fs.openSync(out, 'w');
  const field = (v) =>
    v === null || v === undefined
      ? ''
      : v instanceof Date
        ? v.toISOString()
        : typeof v === 'string'
          ? `"${v.replace(/"/g, '""')}"`
          : String(v);
  let start = 0;
  for (const group of metadata.row_groups) {
    const end = start + Number(group.num_rows);
    const rows = await parquetReadObjects({ file, metadata, rowStart: start, rowEnd: end, compressors });
    fs.writeSync(fd, rows.map((r) => Object.values(r).map(field).join(',')).join('\n') + '\n');
    start = end;
  }
  fs.closeSync(fd);
}

const kinds = { types, flights: () => flights(Number(rowsArg), Number(groupArg ?? 0)), fixed, csv: () => csv(rowsArg) };
await kinds[kind]();
