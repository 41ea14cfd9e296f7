/** The zod schema of an expression in a definition (syntax and whitelist only: what the workflow bundle needs). */
import { z } from 'zod';
import { ExpressionError } from './errors';
import { parseExpression as parse } from './parse';

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
