/**
 * The expression language of `transform.map` (computed columns) and `transform.filter` (predicates): parsed by
 * jsep, checked against a whitelist, compiled to closures. Reference: docs/expressions.md.
 */
import { parseExpression as parse } from './parse';

export { compileExpression, type CompiledExpression } from './compile';
export { ExpressionError } from './errors';
export { zExpression } from './schema';
export { FUNCTION_NAMES } from './functions';
export { fieldFormatter, isTrue, toFieldValue, type ExprType } from './values';

/** Checks syntax and the whitelist of constructs; throws ExpressionError. */
export function parseExpression(text: string): void {
  parse(text);
}
