import {
  compileExpression,
  ExpressionError,
  isTrue,
  parseExpression,
  toFieldValue,
  zExpression,
} from '../../../src/model/expr';
import type { ColumnType } from '../../../src/model/columns/columns';

const cols: { name: string; type: ColumnType }[] = [
  { name: 'name', type: 'text' },
  { name: 'qty', type: 'int' },
  { name: 'price', type: 'numeric' },
  { name: 'big', type: 'bigint' },
  { name: 'ratio', type: 'float' },
  { name: 'ok', type: 'bool' },
  { name: 'day', type: 'date' },
  { name: 'at', type: 'timestamptz' },
];
const row = ['Widget', '3', '19.99', '9007199254740993', '0.5', 't', '2024-02-29', '2024-02-29 10:00:00+00'];
const nulls = row.map(() => null);

/** Evaluates `expr` over `r` and formats the result as its column text. */
const ev = (expr: string, r: (string | null)[] = row): string | null => {
  const c = compileExpression(expr, cols);
  return toFieldValue(c.evaluate(r), c.type);
};

describe('expressions', () => {
  test('numeric arithmetic is exact and keeps SQL scales', () => {
    expect(ev('price * qty')).toBe('59.97');
    expect(ev('price + 0.01')).toBe('20.00');
    expect(ev('price / 3')).toBe('6.6633333333333333');
    expect(ev('big + 1')).toBe('9007199254740994');
    expect(ev('qty / 2')).toBe('1'); // integer division truncates, as in SQL
    expect(ev('ratio * 2')).toBe('1');
    expect(compileExpression('qty * ratio', cols).type).toBe('float');
    expect(compileExpression('qty * price', cols).type).toBe('numeric');
  });

  test('text concatenation and functions', () => {
    expect(ev("upper(substr(name, 1, 3)) + '-' + to_text(qty)")).toBe('WID-3');
    expect(ev("concat(name, null, '!')")).toBe('Widget!');
    expect(ev("replace(lower(name), 'w', 'g')")).toBe('gidget');
    expect(ev("split_part('a,b,c', ',', 2)")).toBe('b');
    expect(ev("date_part('month', day)")).toBe('2');
    expect(ev('round(price, 1)')).toBe('20.0');
    expect(ev('floor(price)')).toBe('19');
    expect(ev('ceil(price)')).toBe('20');
    expect(ev('abs(0 - qty)')).toBe('3');
    expect(ev('greatest(qty, 7, 2)')).toBe('7');
    expect(ev("to_date('2024-03-01 12:00')")).toBe('2024-03-01');
    expect(ev("if(qty > 2, 'many', 'few')")).toBe('many');
    expect(ev("qty > 2 ? 'many' : 'few'")).toBe('many');
    expect(ev('length(name)')).toBe('6');
    expect(ev("starts_with(name, 'Wid') and ends_with(name, 'get') and contains(name, 'dg')")).toBe('t');
  });

  test('comparisons by type: dates, timestamps, booleans', () => {
    expect(ev("day >= '2024-02-01'")).toBe('t');
    expect(ev("at < '2024-02-29T11:00:00Z'")).toBe('t');
    expect(ev('ok == true')).toBe('t');
    expect(ev('price > 19.989')).toBe('t');
  });

  test('SQL NULL semantics: NULL in, NULL out; three-valued and/or; coalesce', () => {
    expect(ev('price * qty', nulls)).toBeNull();
    expect(ev('qty > 1', nulls)).toBeNull();
    expect(ev('ok and false', nulls)).toBe('f');
    expect(ev('ok and true', nulls)).toBeNull();
    expect(ev('ok or true', nulls)).toBe('t');
    expect(ev('ok or false', nulls)).toBeNull();
    expect(ev('not ok', nulls)).toBeNull();
    expect(ev('qty ?? 0', nulls)).toBe('0');
    expect(ev('coalesce(price, 1.5)', nulls)).toBe('1.5');
    expect(ev('is_null(name)', nulls)).toBe('t');
    expect(isTrue(compileExpression('qty > 1', cols).evaluate(nulls))).toBe(false);
    expect(isTrue(compileExpression('qty > 1', cols).evaluate(row))).toBe(true);
  });

  test('division by zero fails the row, not the compile', () => {
    const c = compileExpression('qty / (qty - 3)', cols);
    expect(() => c.evaluate(row)).toThrow(/division by zero/);
  });

  test.each([
    ['name.length', /member access/],
    ['this', /this/],
    ['[1, 2]', /array/],
    ['a = 1', /./],
    ['qty; qty', /one expression/],
    ['eval(name)', /unknown function eval\(\); available: .*lower/],
    ['missing + 1', /unknown column "missing"; the input has name, qty/],
    ["'abc' * 2", /needs numbers, not text and int/],
    ['name > 3', /cannot compare text with int/],
    ['qty == null', /use is_null/],
    ['lower(qty)', /lower\(\) needs text/],
    ['substr(name)', /substr\(\) takes 2 to 3 arguments, got 1/],
    ['qty and ok', /needs booleans, not int/],
  ])('refuses %s', (expr, message) => {
    expect(() => compileExpression(expr, cols)).toThrow(ExpressionError);
    expect(() => compileExpression(expr, cols)).toThrow(message);
  });

  test('syntax errors carry the position', () => {
    let err: unknown;
    try {
      parseExpression('qty + * 2');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(ExpressionError);
    expect((err as ExpressionError).position).toBeGreaterThanOrEqual(4);
    expect((err as Error).message).toMatch(/at character/);
  });

  test('zExpression reports syntax problems at validation', () => {
    expect(zExpression.safeParse('qty > 1').success).toBe(true);
    const bad = zExpression.safeParse('qty >');
    expect(bad.success).toBe(false);
    expect(bad.error?.issues[0]?.message).toMatch(/expression "qty >"/);
    expect(zExpression.safeParse('').success).toBe(false);
  });

  test('toFieldValue formats per column type and refuses values of another type', () => {
    expect(toFieldValue(true, 'bool')).toBe('t');
    expect(toFieldValue(1e21, 'bigint')).toBe('1000000000000000000000');
    expect(toFieldValue(Infinity, 'float')).toBe('Infinity');
    expect(toFieldValue(new Date(Date.UTC(2024, 0, 2, 3, 4, 5)), 'timestamptz')).toBe('2024-01-02T03:04:05.000Z');
    expect(toFieldValue({ a: [1] }, 'json')).toBe('{"a":[1]}');
    expect(() => toFieldValue(1.5, 'int')).toThrow(/not an integer/);
    expect(() => toFieldValue('x', 'bool')).toThrow(/not a bool/);
  });

  test('compiled expressions are fast enough for millions of rows (reported, not asserted)', () => {
    const c = compileExpression('price * qty + 1', cols);
    const n = 1_000_000;
    const t0 = performance.now();
    for (let i = 0; i < n; i++) c.evaluate(row);
    const ms = performance.now() - t0;
    console.log(`price * qty + 1: ${Math.round(n / (ms / 1000)).toLocaleString()} rows/s`);
  });
});
