/**
 * Compiles a parsed expression to closures over a row array: columns are read by position and converted once per
 * read; operators follow SQL's NULL rules (NULL in, NULL out; three-valued and/or). No eval, no Function.
 */
import type { ColumnType } from '../columns/columns';
import type { Compiled, Row } from './compiled';
import * as dec from './decimal';
import { ExpressionError } from './errors';
import { FUNCTION_NAMES, FUNCTIONS, FunctionUseError } from './functions';
import { arith, asType, compareNumbers, negate, type ArithOp, type Num } from './numbers';
import { parseExpression, type Node, type ParseOptions } from './parse';
import { isNumericType, unify, widerNumeric, type StaticType } from './types';
import { parseTimestamp, readerFor, textOf, type ExprType } from './values';

export interface CompiledExpression {
  readonly source: string;
  /** The static result type (`text` for an expression that is only NULL). */
  readonly type: ExprType;
  readonly columnsUsed: readonly string[];
  /** Evaluates over one row (values as text, in the order of the columns given to compile). */
  evaluate(row: Row): unknown;
}

type Fn = (row: Row) => unknown;

const same = (v: unknown): Num => v as Num;
const intToDecimal = (v: unknown): dec.Decimal => ({ v: v as number, s: 0 });

/** Converts an operand of static type `from` to the representation of `to`, chosen once at compile time. */
function converter(from: StaticType, to: ExprType): (v: unknown) => Num {
  if (from === to) return same;
  // int values are 32-bit integers, always exact as a scaled number.
  if (from === 'int' && to === 'numeric') return intToDecimal;
  return (v) => asType(v as number, to);
}

export interface CompileOptions extends ParseOptions {
  /** The error for a name that is not among the columns (default: "unknown column", listing the input's). */
  readonly unknownName?: (name: string) => string;
}

export function compileExpression(
  text: string,
  columns: readonly { readonly name: string; readonly type: ColumnType }[],
  options: CompileOptions = {},
): CompiledExpression {
  const ast = parseExpression(text, options);
  const used = new Set<string>();
  const err = (reason: string): never => {
    throw new ExpressionError(text, reason);
  };

  const column = (name: string): Compiled => {
    const at = columns.findIndex((c) => c.name === name);
    const found = at >= 0 ? at : columns.findIndex((c) => c.name.toLowerCase() === name.toLowerCase());
    if (found < 0)
      return err(
        options.unknownName?.(name) ??
          `unknown column "${name}"; the input has ${columns.map((c) => c.name).join(', ')}`,
      );
    const c = columns[found] as { name: string; type: ColumnType };
    used.add(c.name);
    const type = c.type;
    if (type === 'text') return { type, fn: (r) => r[found] ?? null };
    const read = readerFor(type);
    return {
      type,
      fn: (r) => {
        const text = r[found];
        if (text === null || text === undefined || text === '') return null;
        try {
          return read(text);
        } catch (e) {
          throw new Error(`column ${c.name}: ${(e as Error).message}`);
        }
      },
    };
  };

  const literal = (value: unknown): Compiled => {
    if (value === null) return { type: 'null', fn: () => null };
    if (typeof value === 'boolean') return { type: 'bool', fn: () => value };
    if (typeof value === 'string') return { type: 'text', fn: () => value, literal: value };
    if (typeof value === 'number') {
      if (Number.isInteger(value)) {
        if (Math.abs(value) <= 2147483647) return { type: 'int', fn: () => value };
        const big = BigInt(value);
        return { type: 'bigint', fn: () => big };
      }
      const d = dec.parseDecimal(String(value));
      return { type: 'numeric', fn: () => d };
    }
    return err(`unsupported literal ${String(value)}`);
  };

  const numericOperands = (op: string, a: Compiled, b: Compiled): ExprType => {
    if (a.type === 'null' || b.type === 'null')
      return a.type === 'null' ? (b.type === 'null' ? 'int' : (b.type as ExprType)) : (a.type as ExprType);
    if (!isNumericType(a.type) || !isNumericType(b.type))
      return err(`${op} needs numbers, not ${a.type} and ${b.type}`);
    return widerNumeric(a.type, b.type);
  };

  const binary = (op: string, a: Compiled, b: Compiled): Compiled => {
    const fa = a.fn;
    const fb = b.fn;
    switch (op) {
      case 'and':
      case '&&':
      case 'or':
      case '||': {
        for (const x of [a, b]) if (x.type !== 'bool' && x.type !== 'null') err(`${op} needs booleans, not ${x.type}`);
        const isAnd = op === 'and' || op === '&&';
        return {
          type: 'bool',
          fn: isAnd
            ? (r) => {
                const x = fa(r);
                if (x === false) return false;
                const y = fb(r);
                if (y === false) return false;
                return x === null || y === null ? null : true;
              }
            : (r) => {
                const x = fa(r);
                if (x === true) return true;
                const y = fb(r);
                if (y === true) return true;
                return x === null || y === null ? null : false;
              },
        };
      }
      case '??': {
        const t = unify(a.type, b.type) ?? err(`?? needs operands of one type, not ${a.type} and ${b.type}`);
        const conv = isNumericType(t) ? (v: unknown) => asType(v as number, t as ExprType) : (v: unknown) => v;
        return {
          type: t,
          fn: (r) => {
            const x = fa(r);
            const v = x !== null ? x : fb(r);
            return v === null ? null : conv(v);
          },
        };
      }
      case '+':
        if (a.type === 'text' || b.type === 'text') {
          return {
            type: 'text',
            fn: (r) => {
              const x = fa(r);
              if (x === null) return null;
              const y = fb(r);
              return y === null ? null : textOf(x) + textOf(y);
            },
          };
        }
        return numeric(op, a, b);
      case '-':
      case '*':
      case '/':
      case '%':
        return numeric(op, a, b);
      case '==':
      case '!=':
      case '<':
      case '<=':
      case '>':
      case '>=':
        return comparison(op, a, b);
    }
    return err(`operator ${op} is not part of the language`);
  };

  const numeric = (op: string, a: Compiled, b: Compiled): Compiled => {
    const [fa, fb] = [a.fn, b.fn];
    const t = numericOperands(op, a, b);
    const f = arith(op as ArithOp, t);
    const [ca, cb] = [converter(a.type, t), converter(b.type, t)];
    return {
      type: t,
      fn: (r) => {
        const x = fa(r);
        if (x === null) return null;
        const y = fb(r);
        return y === null ? null : f(ca(x), cb(y));
      },
    };
  };

  const comparison = (op: string, a: Compiled, b: Compiled): Compiled => {
    if (a.type === 'null' || b.type === 'null')
      err(`comparing with null is always null in SQL; use is_null(x) or not is_null(x)`);
    let cmp: (x: unknown, y: unknown) => number;
    let [fa, fb] = [a.fn, b.fn];
    if (isNumericType(a.type) && isNumericType(b.type)) {
      const t = widerNumeric(a.type, b.type);
      const c = compareNumbers(t);
      cmp = (x, y) => c(asType(x as number, t), asType(y as number, t));
    } else if (a.type === b.type && (a.type === 'text' || a.type === 'date')) {
      cmp = (x, y) => ((x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0);
    } else if ((a.type === 'date' && b.literal !== undefined) || (b.type === 'date' && a.literal !== undefined)) {
      cmp = (x, y) => ((x as string) < (y as string) ? -1 : (x as string) > (y as string) ? 1 : 0);
    } else if (a.type === 'timestamptz' && (b.type === 'timestamptz' || b.literal !== undefined)) {
      if (b.literal !== undefined) {
        const t = parseTimestamp(b.literal);
        fb = () => t;
      }
      cmp = (x, y) => Math.sign((x as Date).getTime() - (y as Date).getTime());
    } else if (b.type === 'timestamptz' && a.literal !== undefined) {
      const t = parseTimestamp(a.literal);
      fa = () => t;
      cmp = (x, y) => Math.sign((x as Date).getTime() - (y as Date).getTime());
    } else if (a.type === 'bool' && b.type === 'bool' && (op === '==' || op === '!=')) {
      cmp = (x, y) => (x === y ? 0 : 1);
    } else return err(`cannot compare ${a.type} with ${b.type} using ${op}`);
    const test: Record<string, (c: number) => boolean> = {
      '==': (c) => c === 0,
      '!=': (c) => c !== 0,
      '<': (c) => c < 0,
      '<=': (c) => c <= 0,
      '>': (c) => c > 0,
      '>=': (c) => c >= 0,
    };
    const t = test[op] as (c: number) => boolean;
    const [ga, gb] = [fa, fb];
    return {
      type: 'bool',
      fn: (r) => {
        const x = ga(r);
        if (x === null) return null;
        const y = gb(r);
        return y === null ? null : t(cmp(x, y));
      },
    };
  };

  const unary = (op: string, a: Compiled): Compiled => {
    const f = a.fn;
    if (op === 'not' || op === '!') {
      if (a.type !== 'bool' && a.type !== 'null') err(`${op} needs a boolean, not ${a.type}`);
      return {
        type: 'bool',
        fn: (r) => {
          const x = f(r);
          return x === null ? null : !x;
        },
      };
    }
    if (a.type !== 'null' && !isNumericType(a.type)) err(`unary ${op} needs a number, not ${a.type}`);
    if (op === '+') return a;
    return {
      type: a.type,
      fn: (r) => {
        const x = f(r);
        return x === null ? null : negate(x as number);
      },
    };
  };

  const walk = (node: Node): Compiled => {
    switch (node.type) {
      case 'Literal':
        return literal(node.value);
      case 'Identifier':
        return column(node.name as string);
      case 'MemberExpression':
        // parseExpression admits only `a.b` of plain names, and only when dotted names are on.
        return column(`${(node.object as Node).name as string}.${(node.property as Node).name as string}`);
      case 'UnaryExpression':
        return unary(node.operator as string, walk(node.argument as Node));
      case 'BinaryExpression':
        return binary(node.operator as string, walk(node.left as Node), walk(node.right as Node));
      case 'ConditionalExpression': {
        const test = walk(node.test as Node);
        if (test.type !== 'bool') err(`the condition before ? must be a boolean, not ${test.type}`);
        const [a, b] = [walk(node.consequent as Node), walk(node.alternate as Node)];
        const t = unify(a.type, b.type) ?? err(`both branches of ?: must share a type, not ${a.type} and ${b.type}`);
        const conv = isNumericType(t)
          ? (v: unknown) => (v === null ? null : asType(v as number, t as ExprType))
          : (v: unknown) => v;
        const [c, fa, fb] = [test.fn, a.fn, b.fn];
        return { type: t, fn: (r) => conv(c(r) === true ? fa(r) : fb(r)) };
      }
      case 'CallExpression': {
        const name = ((node.callee as Node).name as string).toLowerCase();
        const f = Object.prototype.hasOwnProperty.call(FUNCTIONS, name) ? FUNCTIONS[name] : undefined;
        if (!f) return err(`unknown function ${name}(); available: ${FUNCTION_NAMES.join(', ')}`);
        try {
          return f((node.arguments as Node[]).map(walk));
        } catch (e) {
          if (e instanceof FunctionUseError) return err(e.message);
          throw e;
        }
      }
    }
    return err(`${node.type} is not allowed`);
  };

  const root = walk(ast);
  const fn: Fn = root.fn;
  const type: StaticType = root.type;
  return {
    source: text,
    type: type === 'null' ? 'text' : type,
    columnsUsed: [...used],
    evaluate: fn,
  };
}
