/** Exact decimals stay exact across the number fast path and the BigInt path, and at the boundary between them. */
import * as dec from '../../../src/model/expr/decimal';

const d = (text: string) => dec.parseDecimal(text);
const f = (x: dec.Decimal) => dec.formatDecimal(x);

test('plain decimals parse onto the number path and format back unchanged', () => {
  for (const text of ['0', '19.99', '-0.05', '123456789012345', '-1.5', '0.000000000000001', '+7.10'])
    expect(f(d(text))).toBe(text.replace(/^\+/, ''));
  expect(typeof d('19.99').v).toBe('number');
});

test('numbers with more than 15 digits, exponents or spaces take the BigInt path exactly', () => {
  expect(f(d('1234567890123456789.123456789'))).toBe('1234567890123456789.123456789');
  expect(typeof d('1234567890123456789').v).toBe('bigint');
  expect(f(d('1.5e3'))).toBe('1500');
  expect(f(d(' 2.50 '))).toBe('2.50');
  expect(() => d('1.2.3')).toThrow(/not a number/);
  expect(() => d('')).toThrow(/not a number/);
  expect(() => d('-')).toThrow(/not a number/);
});

test('a product beyond 2^53 is promoted to BigInt and stays exact', () => {
  const a = d('99999999999999.99');
  const b = d('1000.001');
  expect(f(dec.mul(a, b))).toBe('100000099999999989.99999');
  expect(f(dec.mul(d('3'), d('19.99')))).toBe('59.97');
  expect(f(dec.mul(d('-0.1'), d('0.2')))).toBe('-0.02');
});

test('sums that cross the safe range are exact, and come back to numbers when they fit again', () => {
  const max = d(String(Number.MAX_SAFE_INTEGER));
  const sum = dec.add(max, d('0.5'));
  expect(f(sum)).toBe('9007199254740991.5');
  const back = dec.sub(sum, d('9007199254740990'));
  expect(f(back)).toBe('1.5');
  expect(typeof back.v).toBe('number');
  expect(f(dec.add(d('0.1'), d('0.2')))).toBe('0.3');
  expect(f(dec.sub(d('1'), d('1.001')))).toBe('-0.001');
});

test('compare, division, modulo and rounding agree on both paths', () => {
  expect(dec.compare(d('1.10'), d('1.1'))).toBe(0);
  expect(dec.compare(d('123456789012345678'), d('2'))).toBe(1);
  expect(dec.compare(d('-2'), d('123456789012345678'))).toBe(-1);
  expect(f(dec.div(d('1'), d('3')))).toBe('0.3333333333333333');
  expect(f(dec.div(d('10'), d('4')))).toBe('2.5');
  expect(() => dec.div(d('1'), d('0.00'))).toThrow(/division by zero/);
  expect(f(dec.mod(d('10.5'), d('3')))).toBe('1.5');
  expect(f(dec.roundDecimal(d('2.345'), 2))).toBe('2.35');
  expect(f(dec.roundDecimal(d('-2.345'), 2))).toBe('-2.35');
  expect(f(dec.roundDecimal(d('1250'), -2))).toBe('1300');
  expect(f(dec.absDecimal(d('-3.25')))).toBe('3.25');
});
