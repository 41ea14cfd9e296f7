/** Static types of the language: the column types plus `null` (the type of the literal null). */
import type { ExprType } from './values';

export type StaticType = ExprType | 'null';

const NUMERIC_RANK: Partial<Record<StaticType, number>> = { int: 0, bigint: 1, numeric: 2, float: 3 };

export const isNumericType = (t: StaticType): boolean => NUMERIC_RANK[t] !== undefined;

/** The wider of two numeric types (int < bigint < numeric < float). */
export const widerNumeric = (a: StaticType, b: StaticType): ExprType =>
  ((NUMERIC_RANK[a] ?? 0) >= (NUMERIC_RANK[b] ?? 0) ? a : b) as ExprType;

/** The common type of values that may stand for one another (`??`, if, coalesce), or undefined. */
export function unify(a: StaticType, b: StaticType): StaticType | undefined {
  if (a === 'null') return b;
  if (b === 'null' || a === b) return a;
  if (isNumericType(a) && isNumericType(b)) return widerNumeric(a, b);
  if ((a === 'date' && b === 'text') || (a === 'text' && b === 'date')) return 'text';
  return undefined;
}
