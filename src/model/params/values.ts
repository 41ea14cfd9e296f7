/**
 * A run's parameter values: the caller's (typed, or text from `--param k=v`) checked against the declarations and
 * completed with the defaults. Every problem is reported with its path (`params.day`), none silently dropped.
 */
import { checkDate, checkTimestamptz } from '../columns/temporal';
import { parseTimestamp } from '../expr/values';
import type { Problem } from '../problems';
import type { ParamSpec, ParamSpecs, ParamType, ParamValue, ParamValues } from './schema';

export type ParamResolution =
  { readonly ok: true; readonly values: ParamValues } | { readonly ok: false; readonly problems: readonly Problem[] };

const EXPECTED: Record<ParamType, string> = {
  string: 'text',
  int: 'an integer',
  float: 'a number',
  bool: 'true or false',
  date: 'a date (YYYY-MM-DD)',
  timestamptz: 'a timestamp (ISO 8601, such as 2024-05-01T02:00:00Z)',
};

const TRUE = new Set(['true', 't', 'yes', 'y', 'on', '1']);
const FALSE = new Set(['false', 'f', 'no', 'n', 'off', '0']);

/** `value` as a value of `type`, or the reason it is not one. */
export function coerceParam(type: ParamType, value: unknown): { value: ParamValue } | { problem: string } {
  const bad = (why?: string): { problem: string } => ({
    problem: `expected ${EXPECTED[type]}, got ${JSON.stringify(value)}${why ? `: ${why}` : ''}`,
  });
  switch (type) {
    case 'string':
      return typeof value === 'string' ? { value } : bad();
    case 'int': {
      const n = typeof value === 'string' && /^\s*[+-]?\d+\s*$/.test(value) ? Number(value) : value;
      if (typeof n !== 'number' || !Number.isInteger(n)) return bad();
      return Number.isSafeInteger(n) ? { value: n } : bad('outside the exact integer range (2^53)');
    }
    case 'float': {
      const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
      return typeof n === 'number' && Number.isFinite(n) ? { value: n } : bad();
    }
    case 'bool': {
      if (typeof value === 'boolean') return { value };
      const t = typeof value === 'string' ? value.trim().toLowerCase() : undefined;
      return t !== undefined && TRUE.has(t)
        ? { value: true }
        : t !== undefined && FALSE.has(t)
          ? { value: false }
          : bad();
    }
    case 'date': {
      if (typeof value !== 'string') return bad();
      const problem = checkDate(value.trim());
      return problem ? bad(problem.replace(/^not a date: /, '')) : { value: value.trim() };
    }
    case 'timestamptz': {
      if (typeof value !== 'string') return bad();
      const text = value.trim();
      const problem = checkTimestamptz(text);
      if (problem) return bad(problem.replace(/^not a timestamp: /, ''));
      // Without an offset the time is UTC (never the machine's zone: workflow and client must agree).
      const zoned = /(?:[zZ]|[+-]\d\d(?::?\d\d)?)$/.test(text.slice(10))
        ? text
        : `${text.length === 10 ? `${text}T00:00` : text}Z`;
      try {
        return { value: parseTimestamp(zoned).toISOString() };
      } catch {
        return bad();
      }
    }
  }
}

const describeSpec = (name: string, spec: ParamSpec): string => `${name} (${spec.type})`;

/** Checks `given` against `specs` and fills in defaults. */
export function resolveParams(specs: ParamSpecs | undefined, given: unknown): ParamResolution {
  const declared = specs ?? {};
  const problems: Problem[] = [];
  const values: Record<string, ParamValue> = {};
  const names = Object.keys(declared);
  const list = names.length > 0 ? names.map((n) => describeSpec(n, declared[n] as ParamSpec)).join(', ') : 'none';
  if (given !== undefined && (typeof given !== 'object' || given === null || Array.isArray(given)))
    return { ok: false, problems: [{ path: 'params', message: 'run params must be an object of name: value' }] };
  const supplied = (given ?? {}) as Record<string, unknown>;
  for (const name of Object.keys(supplied))
    if (!Object.prototype.hasOwnProperty.call(declared, name))
      problems.push({ path: `params.${name}`, message: `unknown param "${name}"; the pipeline declares ${list}` });
  for (const name of names) {
    const spec = declared[name] as ParamSpec;
    const value = Object.prototype.hasOwnProperty.call(supplied, name) ? supplied[name] : spec.default;
    if (value === undefined) {
      problems.push({
        path: `params.${name}`,
        message: `param "${name}" is required: give it ${EXPECTED[spec.type]} (it has no default)`,
      });
      continue;
    }
    const coerced = coerceParam(spec.type, value);
    if ('problem' in coerced) problems.push({ path: `params.${name}`, message: `param "${name}": ${coerced.problem}` });
    else values[name] = coerced.value;
  }
  return problems.length > 0 ? { ok: false, problems } : { ok: true, values };
}

/** Problems with the declarations' own defaults (reported when the definition is validated). */
export function checkParamDefaults(specs: ParamSpecs | undefined): Problem[] {
  const problems: Problem[] = [];
  for (const [name, spec] of Object.entries(specs ?? {})) {
    if (spec.default === undefined) continue;
    const coerced = coerceParam(spec.type, spec.default);
    if ('problem' in coerced)
      problems.push({ path: `params.${name}.default`, message: `default of "${name}": ${coerced.problem}` });
  }
  return problems;
}

/** Stand-in values to check templates when no run is given: the default, else a value of the type. */
export function sampleParams(specs: ParamSpecs | undefined): ParamValues {
  const sample: Record<ParamType, ParamValue> = {
    string: 'sample',
    int: 1,
    float: 1.5,
    bool: true,
    date: '2024-01-01',
    timestamptz: '2024-01-01T00:00:00.000Z',
  };
  const values: Record<string, ParamValue> = {};
  for (const [name, spec] of Object.entries(specs ?? {})) {
    const d = spec.default === undefined ? undefined : coerceParam(spec.type, spec.default);
    values[name] = d && 'value' in d ? d.value : sample[spec.type];
  }
  return values;
}
