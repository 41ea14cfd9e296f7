import type { FieldValue } from '../../../src/model/columns/columns';
import { ColumnsSchema, compileRowCheck, headerProblem } from '../../../src/model/columns/columns';

const one = (type: string, extra: Record<string, unknown> = {}) => {
  const check = compileRowCheck(ColumnsSchema.parse([{ name: 'v', type, ...extra }]));
  return (v: string): FieldValue | { reject: string } => {
    const row: FieldValue[] = [v];
    const reason = check(row, false);
    return reason === undefined ? (row[0] as FieldValue) : { reject: reason };
  };
};
const ok = (type: string, values: string[]) =>
  values.forEach((v) => expect(one(type)(v)).toBe(v.trim() === '' ? null : v.trim()));
const bad = (type: string, values: string[]) => values.forEach((v) => expect(one(type)(v)).toHaveProperty('reject'));

describe('column value checks', () => {
  it('int', () => {
    ok('int', ['0', '-1', '+7', '2147483647', '-2147483648', '0002147483647', ' 42 ', '']);
    bad('int', ['2147483648', '-2147483649', '1.5', '1e3', 'abc', '-', '12a', '0x10']);
  });

  it('bigint', () => {
    ok('bigint', ['9223372036854775807', '-9223372036854775808', '123']);
    bad('bigint', ['9223372036854775808', '-9223372036854775809', '99999999999999999999', '1.0']);
  });

  it('numeric and float', () => {
    ok('numeric', ['1', '-1.50', '.5', '5.', '1e10', '-2.5E-3', 'NaN', 'Infinity', '-inf']);
    bad('numeric', ['1.2.3', 'e5', '1e', '--1', '1,5', 'abc', '.']);
    ok('float', ['1.5', '-0', '1e308', 'NaN', '-Infinity', '0.0']);
    bad('float', ['1e400', '1e-400', 'x']);
  });

  it('bool', () => {
    ok('bool', ['t', 'TRUE', 'yes', 'On', '1', 'f', 'false', 'No', 'off', '0']);
    bad('bool', ['2', 'maybe', 'tru']);
  });

  it('date', () => {
    ok('date', ['2024-02-29', '2023-12-31', '0001-01-01']);
    bad('date', ['2023-02-29', '2024-13-01', '2024-04-31', '2024-1-1', '01/02/2024', '2024-01-01T00:00', '0000-01-01']);
  });

  it('timestamptz', () => {
    ok('timestamptz', [
      '2024-01-01',
      '2024-01-01T10:20',
      '2024-01-01 10:20:30',
      '2024-01-01T10:20:30.123456Z',
      '2024-01-01T10:20:30+02',
      '2024-01-01T10:20:30-0530',
      '2024-01-01 10:20:30 +05:30',
      '2016-12-31T23:59:60Z',
    ]);
    bad('timestamptz', [
      '2024-01-01T25:00',
      '2024-01-01T10:60',
      '2024-01-01X10:00',
      '2024-02-30T00:00',
      '2024-01-01T10:20:30.Z',
      '2024-01-01T10:20:30+2',
      '2024-01-01T10:20:30+16:00',
      'yesterday',
    ]);
  });

  it('json', () => {
    ok('json', ['{"a":1}', '[1,2]', '"s"', '3']);
    bad('json', ['{a:1}', '[1,', "{'a':1}"]);
  });

  it('text keeps empty strings and refuses NUL; emptyIsNull and nullable', () => {
    expect(one('text')('')).toBe('');
    expect(one('text')(' padded ')).toBe(' padded ');
    expect(one('text', { emptyIsNull: true })('')).toBeNull();
    expect(one('text')('a\0b')).toEqual({
      reject: 'column v: contains a NUL character, which Postgres text cannot hold',
    });
    expect(one('int', { nullable: false })('')).toEqual({
      reject: 'column v: empty or NULL, but the column is not nullable',
    });
  });

  it('checks the field count and names the column and value', () => {
    const check = compileRowCheck(
      ColumnsSchema.parse([
        { name: 'id', type: 'int' },
        { name: 'n', type: 'text' },
      ]),
    );
    expect(check(['1'], true)).toBe('expected 2 fields, found 1');
    expect(check(['x1', 'a'], true)).toBe('column id: not an integer (int): "x1"');
  });

  it('validates the columns declaration', () => {
    expect(
      ColumnsSchema.safeParse([
        { name: 'a', type: 'int' },
        { name: 'A', type: 'text' },
      ]).success,
    ).toBe(false);
    expect(ColumnsSchema.safeParse([{ name: 'a;drop', type: 'int' }]).success).toBe(false);
    expect(ColumnsSchema.safeParse([{ name: 'a', type: 'money' }]).success).toBe(false);
    expect(ColumnsSchema.safeParse([]).success).toBe(false);
  });

  it('compares a header with the columns', () => {
    const cols = ColumnsSchema.parse([
      { name: 'id', type: 'int' },
      { name: 'name', type: 'text' },
    ]);
    expect(headerProblem(['ID', ' name'], cols)).toBeUndefined();
    expect(headerProblem(['name', 'id'], cols)).toMatch(/the header names/);
  });
});
