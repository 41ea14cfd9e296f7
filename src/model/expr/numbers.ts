/** Arithmetic per numeric type, with SQL's division rules (integer division truncates; dividing by zero fails). */
import * as dec from './decimal';
import type { ExprType } from './values';

export type Num = number | bigint | dec.Decimal;
export type ArithOp = '+' | '-' | '*' | '/' | '%';

/** Converts a numeric value to the representation of `type`. */
export function asType(v: Num, type: ExprType): Num {
  switch (type) {
    case 'float':
      return dec.isDecimal(v) ? dec.decimalToNumber(v) : Number(v);
    case 'numeric':
      return dec.decimalOf(v);
    case 'bigint':
      return typeof v === 'bigint' ? v : BigInt(v as number);
    default:
      return v;
  }
}

const zero = (): never => {
  throw new Error('division by zero');
};

export function arith(op: ArithOp, type: ExprType): (a: Num, b: Num) => Num {
  if (type === 'numeric') {
    const f = { '+': dec.add, '-': dec.sub, '*': dec.mul, '/': dec.div, '%': dec.mod }[op];
    return (a, b) => f(a as dec.Decimal, b as dec.Decimal);
  }
  if (type === 'bigint') {
    const ops: Record<ArithOp, (a: bigint, b: bigint) => bigint> = {
      '+': (a, b) => a + b,
      '-': (a, b) => a - b,
      '*': (a, b) => a * b,
      '/': (a, b) => (b === 0n ? zero() : a / b),
      '%': (a, b) => (b === 0n ? zero() : a % b),
    };
    const f = ops[op];
    return (a, b) => f(a as bigint, b as bigint);
  }
  const int = type === 'int';
  const ops: Record<ArithOp, (a: number, b: number) => number> = {
    '+': (a, b) => a + b,
    '-': (a, b) => a - b,
    '*': (a, b) => a * b,
    '/': (a, b) => (b === 0 ? zero() : int ? Math.trunc(a / b) : a / b),
    '%': (a, b) => (b === 0 ? zero() : a % b),
  };
  const f = ops[op];
  return (a, b) => f(a as number, b as number);
}

/** -1, 0 or 1 for two values of numeric `type`. */
export function compareNumbers(type: ExprType): (a: Num, b: Num) => number {
  if (type === 'numeric') return (a, b) => dec.compare(a as dec.Decimal, b as dec.Decimal);
  return (a, b) => ((a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0);
}

export function negate(v: Num): Num {
  if (dec.isDecimal(v)) return dec.negateDecimal(v);
  return typeof v === 'bigint' ? -v : -v;
}
