/**
 * Paths into a JSON document, as `source.http` writes them: `data.items`, `links.next`, `results[0].rows`; the
 * empty string is the document itself. Keys are taken literally (no wildcards, no expressions).
 */
import { z } from 'zod';

const SEGMENT = /^[^.[\]]+$/;
const PART = /([^.[\]]+)|\[(\d+)\]/g;

/** The path's steps, or undefined when it is not a path. */
export function parseJsonPath(path: string): Array<string | number> | undefined {
  if (path === '' || path === '$') return [];
  const steps: Array<string | number> = [];
  for (const m of path.matchAll(PART)) {
    if (m[2] !== undefined) steps.push(Number(m[2]));
    else if (m[1] !== undefined && SEGMENT.test(m[1])) steps.push(m[1]);
  }
  // Every character must belong to a step or be the dot between two.
  const rebuilt = steps.map((s, i) => (typeof s === 'number' ? `[${s}]` : i === 0 ? s : `.${s}`)).join('');
  return rebuilt === path ? steps : undefined;
}

/** A path param: checked at validation. */
export const JsonPathParam = z.string().refine((p) => parseJsonPath(p) !== undefined, {
  message: 'expected a path such as "data.items" or "results[0].rows" ("" for the document itself)',
});

/** The value at `path` in `doc`, or undefined when a step is missing. */
export function getJsonPath(doc: unknown, path: string): unknown {
  let v: unknown = doc;
  for (const step of parseJsonPath(path) ?? []) {
    if (v === null || typeof v !== 'object') return undefined;
    if (typeof step === 'number') {
      if (!Array.isArray(v)) return undefined;
      v = v[step];
    } else {
      if (Array.isArray(v) || !Object.hasOwn(v, step)) return undefined;
      v = (v as Record<string, unknown>)[step];
    }
  }
  return v;
}
