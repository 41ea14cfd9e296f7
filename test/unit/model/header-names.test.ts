import { normalizeHeader, normalizeHeaderName } from '../../../src/model/columns/header-names';
import { identifierProblem } from '../../../src/model/identifiers';

describe('normalizeHeaderName', () => {
  it.each([
    ['Cost Total $', 'cost_total'],
    ['Airport Name', 'airport_name'],
    ['Speed IAS in knots', 'speed_ias_in_knots'],
    ['  id  ', 'id'],
    ['orderId', 'orderid'],
    ['already_fine', 'already_fine'],
    ['a -- b', 'a_b'],
    ['__x__', 'x'],
    ['Café Crème', 'cafe_creme'],
    ['2020 sales', '_2020_sales'],
    ['%', 'column_3'],
    ['', 'column_3'],
  ])('%j -> %j', (raw, name) => {
    expect(normalizeHeaderName(raw, 3)).toBe(name);
    expect(identifierProblem(name)).toBeUndefined();
  });

  it('keeps the 63-byte limit without a trailing underscore', () => {
    const name = normalizeHeaderName(`${'a'.repeat(62)} b c`, 1);
    expect(name).toBe('a'.repeat(62));
    expect(normalizeHeaderName('x'.repeat(100), 1)).toHaveLength(63);
  });
});

describe('normalizeHeader', () => {
  it('numbers repeats _2, _3 in file order', () => {
    expect(normalizeHeader(['Name', 'name', 'NAME ', 'other'])).toEqual(['name', 'name_2', 'name_3', 'other']);
  });

  it('never gives a repeat a name written elsewhere in the header', () => {
    expect(normalizeHeader(['a', 'a', 'a_2'])).toEqual(['a', 'a_3', 'a_2']);
  });

  it('numbers long repeats within 63 bytes', () => {
    const long = 'x'.repeat(70);
    const names = normalizeHeader([long, long]);
    expect(names[0]).toHaveLength(63);
    expect(names[1]).toBe(`${'x'.repeat(61)}_2`);
    for (const n of names) expect(identifierProblem(n)).toBeUndefined();
  });

  it('gives valid, unique names for any header', () => {
    const header = ['', '', '$', '1', '_1', 'ü', 'ü', 'a b', 'a_b', 'A  B'];
    const names = normalizeHeader(header);
    expect(new Set(names).size).toBe(header.length);
    for (const n of names) expect(identifierProblem(n)).toBeUndefined();
  });
});
