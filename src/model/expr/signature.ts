/** How a function checks its arguments when compiled and builds its closure: arity, types, NULL in NULL out. */
import type { Compiled, Row } from './compiled';
import { isNumericType, type StaticType } from './types';
import type { ExprType } from './values';

export type Fn = (args: readonly Compiled[]) => Compiled;

/** Thrown at compile time; the compiler adds the expression text. */
export class FunctionUseError extends Error {}

export const fail = (msg: string): never => {
  throw new FunctionUseError(msg);
};

export function arity(name: string, args: readonly Compiled[], min: number, max = min): void {
  if (args.length < min || args.length > max)
    fail(
      `${name}() takes ${min === max ? min : `${min} to ${max === Infinity ? 'any number of' : max}`} arguments, got ${args.length}`,
    );
}

export function want(name: string, a: Compiled, ...types: StaticType[]): void {
  if (a.type !== 'null' && !types.includes(a.type)) fail(`${name}() needs ${types.join(' or ')}, not ${a.type}`);
}

export function wantNumber(name: string, a: Compiled): void {
  if (a.type !== 'null' && !isNumericType(a.type)) fail(`${name}() needs a number, not ${a.type}`);
}

/** A function of fixed arity that is NULL when any argument is NULL. */
export function strict(type: ExprType, args: readonly Compiled[], f: (...vals: never[]) => unknown): Compiled {
  const fns = args.map((a) => a.fn);
  if (fns.length === 1) {
    const [a] = fns as [(r: Row) => unknown];
    return {
      type,
      fn: (r) => {
        const x = a(r);
        return x === null ? null : (f as (x: unknown) => unknown)(x);
      },
    };
  }
  return {
    type,
    fn: (r) => {
      const vals = fns.map((g) => g(r));
      return vals.includes(null) ? null : (f as (...v: unknown[]) => unknown)(...vals);
    },
  };
}
