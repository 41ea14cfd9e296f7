/**
 * Renders the templates in a node's params from the run's context: its params and `run.logicalDate`, `run.id`,
 * `run.pipeline`, `run.version`. Deterministic: the same context gives the same params, in the workflow and in the
 * client. A string that is one template and nothing else takes the expression's type (`{{ params.limit }}` is a
 * number); templates inside other text are joined as text.
 */
import type { ColumnType } from '../columns/columns';
import { compileExpression } from '../expr/compile';
import { ExpressionError } from '../expr/errors';
import { formatDecimal, isDecimal } from '../expr/decimal';
import { textOf } from '../expr/values';
import type { ParamSpecs, ParamType, ParamValues } from '../params/schema';
import type { Problem } from '../problems';
import { formatPath } from '../problems';
import { hasTemplate, parseTemplate, TemplateSyntaxError } from './parse';

/** What templates can read. */
export interface RunContext {
  readonly params: ParamValues;
  readonly specs?: ParamSpecs;
  /** ISO 8601: the schedule's scheduled time for a scheduled or backfilled run, else the run's start. */
  readonly logicalDate: string;
  /** The run's workflow id. */
  readonly id: string;
  readonly pipeline: string;
  readonly version: string;
}

const PARAM_COLUMN: Record<ParamType, ColumnType> = {
  string: 'text',
  int: 'int',
  float: 'float',
  bool: 'bool',
  date: 'date',
  timestamptz: 'timestamptz',
};

interface Scope {
  readonly columns: readonly { readonly name: string; readonly type: ColumnType }[];
  readonly row: readonly string[];
  readonly names: string;
}

function scopeOf(ctx: RunContext): Scope {
  const columns: { name: string; type: ColumnType }[] = [
    { name: 'run.logicalDate', type: 'timestamptz' },
    { name: 'run.id', type: 'text' },
    { name: 'run.pipeline', type: 'text' },
    { name: 'run.version', type: 'text' },
  ];
  const row: string[] = [ctx.logicalDate, ctx.id, ctx.pipeline, ctx.version];
  for (const [name, value] of Object.entries(ctx.params)) {
    const declared = ctx.specs?.[name]?.type;
    const type: ColumnType = declared
      ? declared === 'int' && Math.abs(value as number) > 2147483647
        ? 'bigint'
        : PARAM_COLUMN[declared]
      : 'text';
    columns.push({ name: `params.${name}`, type });
    row.push(String(value));
  }
  return { columns, row, names: columns.map((c) => c.name).join(', ') };
}

/** A whole-string template's value in JSON terms. */
function plain(value: unknown): unknown {
  if (typeof value === 'bigint') return Number.isSafeInteger(Number(value)) ? Number(value) : value.toString();
  if (isDecimal(value)) return Number(formatDecimal(value));
  if (value instanceof Date) return value.toISOString();
  return value;
}

type Rendered = { readonly value: unknown } | { readonly problem: string };

function renderString(text: string, scope: Scope): Rendered {
  try {
    const segments = parseTemplate(text);
    const values = segments.map((s) => {
      if (s.kind === 'text') return s.text;
      const compiled = compileExpression(s.expression, scope.columns, {
        dottedNames: true,
        unknownName: (name) => `unknown name "${name}"; a template can use ${scope.names}`,
      });
      try {
        return compiled.evaluate(scope.row);
      } catch (err) {
        throw new ExpressionError(s.expression, (err as Error).message);
      }
    });
    if (segments.length === 1 && segments[0]?.kind === 'expr') return { value: plain(values[0]) };
    return { value: values.map((v) => (v === null ? '' : typeof v === 'string' ? v : textOf(plain(v)))).join('') };
  } catch (err) {
    if (err instanceof TemplateSyntaxError) return { problem: err.message };
    if (err instanceof ExpressionError) return { problem: `template ${JSON.stringify(text)}: ${err.message}` };
    throw err;
  }
}

/** Whether any string inside `value` holds a template. */
export function hasTemplates(value: unknown): boolean {
  if (typeof value === 'string') return hasTemplate(value);
  if (Array.isArray(value)) return value.some(hasTemplates);
  if (typeof value === 'object' && value !== null) return Object.values(value).some(hasTemplates);
  return false;
}

/**
 * `value` with every template rendered, or every problem, each at its path under `path` (such as
 * `nodes[2].params`).
 */
export function renderTemplates(
  value: unknown,
  ctx: RunContext,
  path: ReadonlyArray<string | number>,
): { readonly ok: true; readonly value: unknown } | { readonly ok: false; readonly problems: Problem[] } {
  const scope = scopeOf(ctx);
  const problems: Problem[] = [];
  const walk = (v: unknown, at: ReadonlyArray<string | number>): unknown => {
    if (typeof v === 'string') {
      if (!hasTemplate(v)) return v;
      const r = renderString(v, scope);
      if ('problem' in r) problems.push({ path: formatPath(at), message: r.problem });
      return 'value' in r ? r.value : v;
    }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
    if (typeof v === 'object' && v !== null)
      return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
    return v;
  };
  const out = walk(value, path);
  return problems.length > 0 ? { ok: false, problems } : { ok: true, value: out };
}
