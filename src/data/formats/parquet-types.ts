/**
 * The column type of each top-level Parquet column, from its physical type and its logical (or legacy converted)
 * annotation, and how its decoded values become text. Columns with no mapping are refused by name.
 */
import type { SchemaElement, SchemaTree } from 'hyparquet';
import type { ColumnType, FieldValue } from '../../model/columns/columns';
import { bytesText, dateText, decimalText, floatText, jsonText, timeText, timestampText } from './parquet-values';

/** A top-level column of the file: its name there, its column type, and the text of a decoded value. */
export interface ParquetColumn {
  readonly source: string;
  readonly type: ColumnType;
  /** Whether text values may hold characters COPY must escape (tab, backslash, CR, LF) or NUL. */
  readonly mayNeedEscaping: boolean;
  readonly text: (v: unknown) => FieldValue;
  /** The schema element to read with instead of the file's: without its annotation, a column decodes to bare integers. */
  readonly readAs?: SchemaElement;
}

/** Thrown when a column's Parquet type has no column type here. */
export class ParquetColumnError extends Error {
  constructor(
    readonly column: string,
    readonly parquetType: string,
  ) {
    super(`column "${column}" is ${parquetType}, which has no column type here`);
    this.name = 'ParquetColumnError';
  }
}

const str = (v: unknown): string => (v instanceof Uint8Array ? bytesText(v) : String(v));
const TIME_UNITS = { MILLIS: 1_000n, MICROS: 1_000_000n, NANOS: 1_000_000_000n } as const;

const col = (source: string, type: ColumnType, text: (v: unknown) => string, extra: Partial<ParquetColumn> = {}) => ({
  source,
  type,
  mayNeedEscaping: type === 'text' || type === 'json',
  text: (v: unknown): FieldValue => (v === null || v === undefined ? null : text(v)),
  ...extra,
});

/** Maps a top-level schema node (a child of the root) to its column, or throws {@link ParquetColumnError}. */
export function parquetColumn(node: SchemaTree): ParquetColumn {
  const e = node.element;
  const name = e.name;
  if (node.children.length > 0 || e.repetition_type === 'REPEATED') return col(name, 'json', jsonText);
  const lt = e.logical_type;
  const ct = e.converted_type;
  const physical = e.type === 'FIXED_LEN_BYTE_ARRAY' ? `FIXED_LEN_BYTE_ARRAY(${e.type_length ?? '?'})` : String(e.type);
  const unmapped = (what: string) => new ParquetColumnError(name, what);

  if (lt?.type === 'DECIMAL' || ct === 'DECIMAL') {
    const scale = lt?.type === 'DECIMAL' ? lt.scale : (e.scale ?? 0);
    return col(name, 'numeric', (v) => decimalText(v as number | bigint | Uint8Array, scale), { readAs: plain(e) });
  }
  if (lt?.type === 'BSON' || ct === 'BSON' || lt?.type === 'INTERVAL' || ct === 'INTERVAL')
    throw unmapped(`${physical} (${lt?.type ?? ct})`);
  // Dates and times read as their integer counts and become text row by row, which keeps a decoded row group small.
  if (lt?.type === 'TIMESTAMP' || ct === 'TIMESTAMP_MILLIS' || ct === 'TIMESTAMP_MICROS') {
    const unit = lt?.type === 'TIMESTAMP' ? TIME_UNITS[lt.unit] : ct === 'TIMESTAMP_MILLIS' ? 1_000n : 1_000_000n;
    return col(name, 'timestamptz', (v) => timestampText(BigInt(v as bigint), unit), { readAs: plain(e) });
  }
  if (e.type === 'INT96') return col(name, 'timestamptz', str); // decoded by hyparquet; the read's parsers make text
  if (lt?.type === 'DATE' || ct === 'DATE')
    return col(name, 'date', (v) => dateText(v as number), { readAs: plain(e) });
  if (lt?.type === 'TIME' || ct === 'TIME_MILLIS' || ct === 'TIME_MICROS') {
    const unit = lt?.type === 'TIME' ? TIME_UNITS[lt.unit] : ct === 'TIME_MILLIS' ? 1_000n : 1_000_000n;
    return col(name, 'text', (v) => timeText(BigInt(v as number | bigint), unit), { readAs: plain(e) });
  }
  if (lt?.type === 'JSON' || ct === 'JSON') return col(name, 'json', str);
  if (lt?.type === 'GEOMETRY' || lt?.type === 'GEOGRAPHY' || lt?.type === 'VARIANT') return col(name, 'json', jsonText);
  if (lt?.type === 'UUID' || lt?.type === 'STRING' || lt?.type === 'ENUM' || ct === 'UTF8' || ct === 'ENUM')
    return col(name, 'text', str);
  if (lt?.type === 'FLOAT16') return col(name, 'float', (v) => floatText(v as number));
  if (lt?.type === 'NULL') return col(name, 'text', str);
  switch (e.type) {
    case 'BOOLEAN':
      return col(name, 'bool', (v) => (v ? 'true' : 'false'));
    case 'INT32':
      return col(name, intType(e, 32), String);
    case 'INT64':
      return col(name, intType(e, 64), String);
    case 'FLOAT':
    case 'DOUBLE':
      return col(name, 'float', (v) => floatText(v as number));
    case 'BYTE_ARRAY':
      return col(name, 'text', str);
    default:
      throw unmapped(`${physical}${lt ? ` (${lt.type})` : ' without a logical type'}`);
  }
}

/** `e` without its annotations: hyparquet then decodes the bare physical values. */
function plain(e: SchemaElement): SchemaElement {
  const { converted_type: _c, logical_type: _l, ...bare } = e;
  return bare;
}

/** int for up to 32 signed bits (and unsigned up to 16), bigint for 64 signed (and unsigned 32), numeric past that. */
function intType(e: SchemaElement, physicalBits: 32 | 64): ColumnType {
  const lt = e.logical_type;
  const ct = e.converted_type;
  const unsigned = lt?.type === 'INTEGER' ? !lt.isSigned : ct?.startsWith('UINT_') === true;
  const bits =
    lt?.type === 'INTEGER' ? lt.bitWidth : ct?.match(/^U?INT_(\d+)$/) ? Number(ct.split('_')[1]) : physicalBits;
  if (unsigned) return bits <= 16 ? 'int' : bits <= 32 ? 'bigint' : 'numeric';
  return bits <= 32 ? 'int' : 'bigint';
}
