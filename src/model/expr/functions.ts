/**
 * The whitelisted functions. Each checks its argument types when compiled and returns a closure. NULL in,
 * NULL out, except where SQL says otherwise (coalesce, concat, is_null, if).
 */
import type { Compiled, Row } from './compiled';
import { DATE_FUNCTIONS } from './date-functions';
import * as dec from './decimal';
import { asType } from './numbers';
import { isNumericType, unify, type StaticType } from './types';
import { parseBool, textOf, type ExprType } from './values';
import { checkDate } from '../columns/temporal';
import { arity, fail, strict, want, wantNumber, type Fn } from './signature';

export { FunctionUseError } from './signature';

const text1 =
  (name: string, f: (s: string) => unknown, type: ExprType = 'text'): Fn =>
  (args) => {
    arity(name, args, 1);
    want(name, args[0] as Compiled, 'text', 'date');
    return strict(type, args, f as never);
  };

const toNumber = (v: unknown, type: ExprType): unknown => {
  if (typeof v === 'string') {
    const d = dec.parseDecimal(v);
    return type === 'numeric'
      ? d
      : type === 'bigint'
        ? BigInt(dec.formatDecimal(dec.roundDecimal(d, 0)))
        : asType(d, type);
  }
  if (typeof v === 'boolean') return asType(v ? 1 : 0, type);
  return asType(v as number, type);
};

function rounding(
  name: string,
  mode: (d: dec.Decimal, digits: number) => dec.Decimal,
  floatFn: (x: number) => number,
): Fn {
  return (args) => {
    arity(name, args, 1, name === 'round' ? 2 : 1);
    wantNumber(name, args[0] as Compiled);
    const st = (args[0] as Compiled).type;
    const t: ExprType = st === 'null' ? 'numeric' : st;
    return strict(t, args, ((v: unknown, digits?: number) => {
      if (t === 'float')
        return name === 'round' && digits
          ? Number(floatFn(Number(v) * 10 ** digits) / 10 ** digits)
          : floatFn(v as number);
      if (t === 'int' || t === 'bigint') return v;
      return mode(v as dec.Decimal, digits ?? 0);
    }) as never);
  };
}

const floorDec = (d: dec.Decimal): dec.Decimal => {
  const r = dec.roundDecimal(d, 0);
  return dec.compare(r, d) > 0 ? dec.sub(r, { v: 1, s: 0 }) : r;
};
const ceilDec = (d: dec.Decimal): dec.Decimal => {
  const r = dec.roundDecimal(d, 0);
  return dec.compare(r, d) < 0 ? dec.add(r, { v: 1, s: 0 }) : r;
};

function unified(name: string, args: readonly Compiled[]): StaticType {
  let t: StaticType = 'null';
  for (const a of args) {
    const u = unify(t, a.type);
    if (u === undefined) fail(`${name}() arguments must share a type: ${t} and ${a.type} do not`);
    t = u as StaticType;
  }
  return t;
}

function pick(name: string, better: (c: number) => boolean): Fn {
  return (args) => {
    arity(name, args, 1, Infinity);
    const t = unified(name, args);
    const fns = args.map((a) => a.fn);
    const cmp = (a: unknown, b: unknown): number =>
      dec.isDecimal(a)
        ? dec.compare(a, b as dec.Decimal)
        : (a as number) < (b as number)
          ? -1
          : (a as number) > (b as number)
            ? 1
            : 0;
    return {
      type: t,
      fn: (r) => {
        let best: unknown = null;
        for (const g of fns) {
          const raw = g(r);
          if (raw === null) continue;
          const v = isNumericType(t) ? asType(raw as number, t as ExprType) : raw;
          if (best === null || better(cmp(v, best))) best = v;
        }
        return best;
      },
    };
  };
}

export const FUNCTIONS: Readonly<Record<string, Fn>> = {
  lower: text1('lower', (s) => s.toLowerCase()),
  upper: text1('upper', (s) => s.toUpperCase()),
  trim: text1('trim', (s) => s.trim()),
  length: text1('length', (s) => [...s].length, 'int'),
  substr: (args) => {
    arity('substr', args, 2, 3);
    want('substr', args[0] as Compiled, 'text');
    for (const a of args.slice(1)) want('substr', a, 'int', 'bigint');
    return strict('text', args, ((s: string, start: number | bigint, len?: number | bigint) => {
      const chars = [...s];
      const from = Math.max(Number(start) - 1, 0);
      const end = len === undefined ? chars.length : Math.max(Number(start) - 1 + Number(len), 0);
      return chars.slice(from, Math.max(end, from)).join('');
    }) as never);
  },
  concat: (args) => {
    const fns = args.map((a) => a.fn);
    return {
      type: 'text',
      fn: (r) =>
        fns
          .map((g) => {
            const v = g(r);
            return v === null ? '' : textOf(v);
          })
          .join(''),
    };
  },
  coalesce: (args) => {
    arity('coalesce', args, 1, Infinity);
    const t = unified('coalesce', args);
    const fns = args.map((a) => a.fn);
    const conv = isNumericType(t) ? (v: unknown) => asType(v as number, t as ExprType) : (v: unknown) => v;
    return {
      type: t,
      fn: (r) => {
        for (const g of fns) {
          const v = g(r);
          if (v !== null) return conv(v);
        }
        return null;
      },
    };
  },
  is_null: (args) => {
    arity('is_null', args, 1);
    const g = (args[0] as Compiled).fn;
    return { type: 'bool', fn: (r) => g(r) === null };
  },
  if: (args) => {
    arity('if', args, 3);
    want('if', args[0] as Compiled, 'bool');
    const t = unified('if', args.slice(1));
    const [c, a, b] = args.map((x) => x.fn) as [(r: Row) => unknown, (r: Row) => unknown, (r: Row) => unknown];
    const conv = isNumericType(t)
      ? (v: unknown) => (v === null ? null : asType(v as number, t as ExprType))
      : (v: unknown) => v;
    return { type: t, fn: (r) => conv(c(r) === true ? a(r) : b(r)) };
  },
  round: rounding('round', dec.roundDecimal, Math.round),
  floor: rounding('floor', floorDec, Math.floor),
  ceil: rounding('ceil', ceilDec, Math.ceil),
  abs: (args) => {
    arity('abs', args, 1);
    wantNumber('abs', args[0] as Compiled);
    const t = (args[0] as Compiled).type;
    return strict(t === 'null' ? 'int' : (t as ExprType), args, ((v: number | bigint | dec.Decimal) =>
      dec.isDecimal(v) ? dec.absDecimal(v) : typeof v === 'bigint' ? (v < 0n ? -v : v) : Math.abs(v)) as never);
  },
  least: pick('least', (c) => c < 0),
  greatest: pick('greatest', (c) => c > 0),
  to_int: (args) => {
    arity('to_int', args, 1);
    return strict('int', args, ((v: unknown) => {
      const n = Number(toNumber(v, 'float'));
      if (!Number.isFinite(n)) throw new Error(`to_int: ${textOf(v)} is not a finite number`);
      return Math.trunc(n);
    }) as never);
  },
  to_bigint: (args) => {
    arity('to_bigint', args, 1);
    return strict('bigint', args, ((v: unknown) => toNumber(v, 'bigint')) as never);
  },
  to_float: (args) => {
    arity('to_float', args, 1);
    return strict('float', args, ((v: unknown) => toNumber(v, 'float')) as never);
  },
  to_numeric: (args) => {
    arity('to_numeric', args, 1);
    return strict('numeric', args, ((v: unknown) => toNumber(v, 'numeric')) as never);
  },
  to_text: (args) => {
    arity('to_text', args, 1);
    return strict('text', args, textOf as never);
  },
  to_bool: (args) => {
    arity('to_bool', args, 1);
    want('to_bool', args[0] as Compiled, 'text', 'bool', 'int');
    return strict('bool', args, ((v: unknown) =>
      typeof v === 'boolean' ? v : typeof v === 'number' ? v !== 0 : parseBool(v as string)) as never);
  },
  to_date: (args) => {
    arity('to_date', args, 1);
    want('to_date', args[0] as Compiled, 'text', 'date', 'timestamptz');
    return strict('date', args, ((v: string | Date) => {
      if (v instanceof Date) return v.toISOString().slice(0, 10);
      const d = v.trim().slice(0, 10);
      const problem = checkDate(d);
      if (problem) throw new Error(`to_date: ${JSON.stringify(v)}: ${problem}`);
      return d;
    }) as never);
  },
  starts_with: (args) => {
    arity('starts_with', args, 2);
    args.forEach((a) => want('starts_with', a, 'text'));
    return strict('bool', args, ((s: string, p: string) => s.startsWith(p)) as never);
  },
  ends_with: (args) => {
    arity('ends_with', args, 2);
    args.forEach((a) => want('ends_with', a, 'text'));
    return strict('bool', args, ((s: string, p: string) => s.endsWith(p)) as never);
  },
  contains: (args) => {
    arity('contains', args, 2);
    args.forEach((a) => want('contains', a, 'text'));
    return strict('bool', args, ((s: string, p: string) => s.includes(p)) as never);
  },
  replace: (args) => {
    arity('replace', args, 3);
    args.forEach((a) => want('replace', a, 'text'));
    return strict('text', args, ((s: string, a: string, b: string) => (a === '' ? s : s.split(a).join(b))) as never);
  },
  split_part: (args) => {
    arity('split_part', args, 3);
    want('split_part', args[0] as Compiled, 'text');
    want('split_part', args[1] as Compiled, 'text');
    want('split_part', args[2] as Compiled, 'int');
    return strict('text', args, ((s: string, d: string, n: number) => {
      if (n === 0) throw new Error('split_part: field position must not be zero');
      const parts = s.split(d);
      return parts[n > 0 ? n - 1 : parts.length + n] ?? '';
    }) as never);
  },
  date_part: (args) => {
    arity('date_part', args, 2);
    want('date_part', args[0] as Compiled, 'text');
    want('date_part', args[1] as Compiled, 'date', 'timestamptz');
    const unit = (args[0] as Compiled).literal;
    if (!unit || !['year', 'month', 'day'].includes(unit))
      fail("date_part() takes 'year', 'month' or 'day' as its first argument");
    const at = { year: [0, 4], month: [5, 7], day: [8, 10] }[unit as 'year' | 'month' | 'day'];
    return strict('int', args.slice(1), ((v: string | Date) =>
      Number((v instanceof Date ? v.toISOString() : v).slice(at[0], at[1]))) as never);
  },
  ...DATE_FUNCTIONS,
};

export const FUNCTION_NAMES = Object.keys(FUNCTIONS).sort();
