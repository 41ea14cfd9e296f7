import {
  InvalidIdentifierError,
  parseQualifiedName,
  quoteIdent,
  quoteQualified,
  zIdentifier,
  zQualifiedName,
} from '../../../src/model/identifiers';

describe('identifiers', () => {
  it('quotes valid names, keeping case', () => {
    expect(quoteIdent('order_lines')).toBe('"order_lines"');
    expect(quoteIdent('_Tmp1')).toBe('"_Tmp1"');
    expect(quoteQualified('sales.Orders')).toBe('"sales"."Orders"');
    expect(quoteQualified('orders')).toBe('"orders"');
    expect(parseQualifiedName('a.b')).toEqual({ schema: 'a', name: 'b' });
  });

  it.each([
    'users; DROP TABLE users',
    'users"; DROP TABLE users; --',
    'a--b',
    'x y',
    "o'brien",
    '1abc',
    '',
    'tab\tname',
    'naïve',
    'a.b.c',
    '.a',
    'a.',
    'a'.repeat(64),
  ])('refuses %j', (name) => {
    expect(() => quoteQualified(name)).toThrow(InvalidIdentifierError);
    expect(zQualifiedName().safeParse(name).success).toBe(false);
  });

  it('names the identifier and what is allowed', () => {
    expect(() => quoteIdent('a"; drop', 'column')).toThrow(
      'invalid column name "a\\"; drop": it contains characters that are not allowed; allowed: letters, digits and underscores, starting with a letter or underscore, at most 63 bytes',
    );
    expect(() => quoteQualified('s.bad name')).toThrow(/invalid table name "s.bad name": part "bad name"/);
  });

  it('accepts 63 bytes and refuses a dot in a single identifier', () => {
    expect(quoteIdent('a'.repeat(63))).toBe(`"${'a'.repeat(63)}"`);
    expect(() => quoteIdent('a.b')).toThrow(InvalidIdentifierError);
  });

  it('reports zod issues with the message', () => {
    const r = zIdentifier('column').safeParse('x;y');
    expect(r.success).toBe(false);
    if (!r.success) expect(r.error.issues[0]?.message).toMatch(/^invalid column name "x;y"/);
    expect(zIdentifier().parse('ok_1')).toBe('ok_1');
  });
});
