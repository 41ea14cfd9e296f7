/**
 * Templates in node params: `{{ <expression> }}` anywhere in a string, the expression in the expression language
 * (docs/expressions.md), optionally piped through functions: `{{ run.logicalDate | add_days(-1) | date }}` is
 * `date(add_days(run.logicalDate, -1))`. Parsing only splits the text; nothing is evaluated here.
 */

export type Segment =
  | { readonly kind: 'text'; readonly text: string }
  | {
      readonly kind: 'expr';
      /** As written, `{{ ... }}` included (for messages). */
      readonly source: string;
      /** The expression to compile, pipes turned into calls. */
      readonly expression: string;
    };

/** A template that cannot be split: an unclosed `{{`, an empty one, or a pipe stage that is not a function. */
export class TemplateSyntaxError extends Error {
  constructor(
    readonly template: string,
    reason: string,
  ) {
    super(`template ${JSON.stringify(template)}: ${reason}`);
    this.name = 'TemplateSyntaxError';
  }
}

/**
 * `{{ inputs.<node id> }}` names an input's table in `transform.sql`: the node resolves it, so it is not a template
 * of the run and stays as written.
 */
const INPUT_REFERENCE = /^\s*inputs\.[A-Za-z][A-Za-z0-9_-]*\s*$/;
const INPUT_REFERENCES = /\{\{\s*inputs\.[A-Za-z][A-Za-z0-9_-]*\s*\}\}/g;

/** Whether `text` holds a template of the run (input references of `transform.sql` do not count). */
export const hasTemplate = (text: string): boolean =>
  text.includes('{{') && text.replace(INPUT_REFERENCES, '').includes('{{');

/** The index of the `}}` that closes a template opened before `from`, skipping quoted strings. */
function closing(text: string, from: number): number {
  let quote: string | undefined;
  for (let i = from; i < text.length; i++) {
    const c = text[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '}' && text[i + 1] === '}') return i;
  }
  return -1;
}

/** Splits `expr` at top-level single `|` (not `||`, not inside quotes or parentheses). */
function splitPipes(expr: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let quote: string | undefined;
  let start = 0;
  for (let i = 0; i < expr.length; i++) {
    const c = expr[i];
    if (quote) {
      if (c === '\\') i++;
      else if (c === quote) quote = undefined;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === '(') depth++;
    else if (c === ')') depth--;
    else if (c === '|' && depth === 0) {
      if (expr[i + 1] === '|') {
        i++;
        continue;
      }
      parts.push(expr.slice(start, i));
      start = i + 1;
    }
  }
  parts.push(expr.slice(start));
  return parts;
}

const STAGE = /^\s*([A-Za-z_][A-Za-z0-9_]*)\s*(?:\(([\s\S]*)\))?\s*$/;

/** `a | f | g(x)` as `g(f(a), x)`. */
function piped(source: string, expr: string): string {
  const [first, ...stages] = splitPipes(expr);
  let out = (first ?? '').trim();
  if (out === '') throw new TemplateSyntaxError(source, 'nothing before the first |');
  for (const stage of stages) {
    const m = STAGE.exec(stage);
    if (!m)
      throw new TemplateSyntaxError(
        source,
        `after | comes a function, such as date or format_date('YYYYMMDD'), not ${JSON.stringify(stage.trim())}`,
      );
    const args = m[2]?.trim();
    out = `${m[1]}(${out}${args ? `, ${args}` : ''})`;
  }
  return out;
}

/** Splits `text` into literal text and template expressions. */
export function parseTemplate(text: string): Segment[] {
  const segments: Segment[] = [];
  let at = 0;
  while (at < text.length) {
    const open = text.indexOf('{{', at);
    if (open < 0) break;
    if (open > at) segments.push({ kind: 'text', text: text.slice(at, open) });
    const close = closing(text, open + 2);
    if (close < 0) throw new TemplateSyntaxError(text, `"{{" at character ${open + 1} is never closed with "}}"`);
    const source = text.slice(open, close + 2);
    const inner = text.slice(open + 2, close);
    if (INPUT_REFERENCE.test(inner)) {
      segments.push({ kind: 'text', text: source });
      at = close + 2;
      continue;
    }
    if (inner.trim() === '')
      throw new TemplateSyntaxError(source, 'empty template: put an expression between {{ and }}');
    segments.push({ kind: 'expr', source, expression: piped(source, inner) });
    at = close + 2;
  }
  if (at < text.length) segments.push({ kind: 'text', text: text.slice(at) });
  return segments;
}
