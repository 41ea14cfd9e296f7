/** The one error of the expression language: a definition problem, found at validation or when compiling. */
export class ExpressionError extends Error {
  constructor(
    readonly expression: string,
    reason: string,
    readonly position?: number,
  ) {
    super(
      `expression ${JSON.stringify(expression)}: ${reason}${position !== undefined ? ` (at character ${position + 1})` : ''}`,
    );
    this.name = 'ExpressionError';
  }
}
