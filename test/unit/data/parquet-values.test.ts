/** Parquet values become the text Postgres reads, exactly: decimals from their unscaled integers, times to the microsecond. */
import {
  dateText,
  decimalText,
  floatText,
  jsonText,
  timeText,
  timestampText,
} from '../../../src/data/formats/parquet-values';

test('decimals come from the unscaled integer and the scale, never through a double', () => {
  expect(decimalText(12345, 2)).toBe('123.45');
  expect(decimalText(-1n, 4)).toBe('-0.0001');
  expect(decimalText(5n, 0)).toBe('5');
  expect(decimalText(7n, -2)).toBe('700');
  expect(decimalText(99999999999999999999999999999999999999n, 10)).toBe('9999999999999999999999999999.9999999999');
  // Big-endian two's complement bytes (FIXED_LEN_BYTE_ARRAY, BYTE_ARRAY).
  expect(decimalText(new Uint8Array([0xff, 0xfe]), 1)).toBe('-0.2');
  expect(decimalText(new Uint8Array([0x01, 0x00]), 0)).toBe('256');
  expect(decimalText(new Uint8Array([]), 3)).toBe('0.000');
});

test('dates and timestamps from their counts, proleptic Gregorian, UTC, to the microsecond', () => {
  expect(dateText(0)).toBe('1970-01-01');
  expect(dateText(19_782)).toBe('2024-02-29');
  expect(dateText(-719_162)).toBe('0001-01-01');
  expect(dateText(-719_163)).toBe('0001-12-31 BC');
  expect(timestampText(1_709_210_096_789n, 1_000n)).toBe('2024-02-29 12:34:56.789000+00');
  expect(timestampText(-1n, 1_000_000n)).toBe('1969-12-31 23:59:59.999999+00');
  expect(timestampText(1_999n, 1_000_000_000n)).toBe('1970-01-01 00:00:00.000001+00');
  expect(timestampText(-1n, 1_000_000_000n)).toBe('1969-12-31 23:59:59.999999+00');
  expect(timestampText(0n, 1_000n)).toBe('1970-01-01 00:00:00+00');
  expect(timeText(45_296_789n, 1_000n)).toBe('12:34:56.789000');
  expect(timeText(3_600_000_000_000n, 1_000_000_000n)).toBe('01:00:00');
});

test('doubles round-trip, special values by their Postgres names; nested values as JSON with exact 64-bit integers', () => {
  expect(floatText(0.1)).toBe('0.1');
  expect(floatText(Number.NaN)).toBe('NaN');
  expect(floatText(-Infinity)).toBe('-Infinity');
  expect(jsonText({ a: [9007199254740993n, -2n], b: new TextEncoder().encode('é'), c: null, d: Infinity })).toBe(
    '{"a":[9007199254740993,-2],"b":"é","c":null,"d":null}',
  );
});
