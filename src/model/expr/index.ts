/**
 * The expression language of `transform.map` (computed columns) and `transform.filter` (predicates): parsed by
 * jsep, checked against a whitelist, compiled to closures. Reference: docs/expressions.md.
 */
import { z } from 'zod';
import { ExpressionError } from './errors';
import { parseExpression as parse } from './parse';

export { compileExpression, type CompiledExpression } from './compile';
export { ExpressionError } from './errors';
export { FUNCTION_NAMES } from './functions';
export { fieldFormatter, isTrue, toFieldValue, type ExprType } from './values';

/** Checks syntax and the whitelist of constructs; throws ExpressionError. */
export function parseExpression(text: string): void {
  parse(text);
}

/** Zod schema of an expression in a definition: checked for syntax at validation time. */
export const zExpression = z
  .string()
  .min(1, 'expression is empty')
  .max(2000, 'expression is longer than 2000 characters')
  .superRefine((text, ctx) => {
    try {
      parse(text);
    } catch (err) {
      ctx.addIssue({ code: 'custom', message: err instanceof ExpressionError ? err.message : String(err) });
    }
  });
