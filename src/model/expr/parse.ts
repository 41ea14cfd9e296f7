/**
 * Parsing with jsep, configured for the language: SQL-like `and`, `or`, `not` besides `&&`, `||`, `!`, and only
 * the constructs the compiler knows. Never evaluates anything: the AST is compiled to closures (compile.ts).
 */
import jsep from 'jsep';
import { ExpressionError } from './errors';

jsep.addBinaryOp('or', 1);
jsep.addBinaryOp('and', 2);
jsep.addUnaryOp('not');
for (const op of ['|', '^', '&', '<<', '>>', '>>>', '===', '!==', '**']) jsep.removeBinaryOp(op);
jsep.removeUnaryOp('~');

export type Node = jsep.Expression;

const ALLOWED = new Set([
  'Literal',
  'Identifier',
  'BinaryExpression',
  'UnaryExpression',
  'CallExpression',
  'ConditionalExpression',
]);

const WHY: Record<string, string> = {
  MemberExpression: 'member access (a.b, a[b]) is not part of the language; name columns directly',
  ThisExpression: '`this` is not part of the language',
  ArrayExpression: 'array literals are not part of the language',
  Compound: 'one expression only (no commas or semicolons between expressions)',
  SequenceExpression: 'one expression only (no commas between expressions)',
};

export interface ParseOptions {
  /** Allows `a.b` (two plain names) as one name: templates read `params.day` and `run.logicalDate`. */
  readonly dottedNames?: boolean;
}

/** Parses and checks `text`; throws ExpressionError with the position of a syntax error. */
export function parseExpression(text: string, options: ParseOptions = {}): Node {
  let ast: Node;
  try {
    ast = jsep(text);
  } catch (err) {
    const e = err as Error & { index?: number; description?: string };
    throw new ExpressionError(text, e.description ?? e.message.replace(/ at character \d+$/, ''), e.index);
  }
  check(text, ast, options.dottedNames === true);
  return ast;
}

/** `a.b`, both plain names (not `a[b]`, not `a.b.c`). */
export const isDottedName = (node: Node): boolean =>
  node.type === 'MemberExpression' &&
  node.computed === false &&
  (node.object as Node).type === 'Identifier' &&
  (node.property as Node).type === 'Identifier';

function check(text: string, node: Node, dotted: boolean): void {
  if (dotted && node?.type === 'MemberExpression') {
    if (isDottedName(node)) return;
    throw new ExpressionError(text, 'only names such as params.day or run.logicalDate can use a dot');
  }
  if (!node || !ALLOWED.has(node.type))
    throw new ExpressionError(text, WHY[node?.type ?? ''] ?? `${node?.type ?? 'an empty expression'} is not allowed`);
  if (node.type === 'CallExpression' && (node.callee as Node).type !== 'Identifier')
    throw new ExpressionError(text, 'only named functions can be called, e.g. lower(name)');
  for (const key of ['left', 'right', 'argument', 'test', 'consequent', 'alternate'] as const) {
    const child = node[key] as Node | undefined;
    if (child) check(text, child, dotted);
  }
  for (const arg of (node.arguments as Node[] | undefined) ?? []) check(text, arg, dotted);
}
