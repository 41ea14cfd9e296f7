/**
 * Validates a pipeline definition and reports every problem with its path, not just the first.
 * The same pure function runs in the client before a start and at the top of the workflow.
 */
import type { ZodIssue } from 'zod';
import type { NodeTypeCatalog } from './catalog';
import { createCatalog } from './catalog';
import { findCycles } from './cycles';
import { checkLimits } from './validate-limits';
import type { Problem } from './problems';
import { formatPath } from './problems';
import type { PipelineDefinition } from './schema';
import { PipelineSchema } from './schema';

export type ValidationResult =
  | { readonly ok: true; readonly definition: PipelineDefinition; readonly problems: readonly [] }
  | { readonly ok: false; readonly problems: readonly Problem[] };

export interface ValidateOptions {
  /** Known node types; defaults to the built-ins. */
  readonly catalog?: NodeTypeCatalog;
  /**
   * Accept types the catalog does not know (their params are not checked). The workflow uses this: it cannot
   * see which types a worker registers, so an unknown type fails at run time, non-retryably, naming it.
   */
  readonly allowUnknownTypes?: boolean;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fromZod = (issues: readonly ZodIssue[], prefix: ReadonlyArray<string | number> = []): Problem[] =>
  issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));

/** Validates `input` (parsed YAML/JSON or an object) against the schema and the cross-node rules. */
export function validateDefinition(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const catalog = options.catalog ?? createCatalog();
  const parsed = PipelineSchema.safeParse(input);
  const problems: Problem[] = parsed.success ? [] : fromZod(parsed.error.issues);
  const rawNodes = isRecord(input) && Array.isArray(input.nodes) ? input.nodes : [];
  problems.push(...checkGraph(rawNodes), ...checkTypes(rawNodes, catalog, options.allowUnknownTypes ?? false));
  if (isRecord(input)) problems.push(...checkLimits(input));
  if (parsed.success && problems.length === 0) return { ok: true, definition: parsed.data, problems: [] };
  return { ok: false, problems: dedupe(problems) };
}

function checkGraph(rawNodes: readonly unknown[]): Problem[] {
  const problems: Problem[] = [];
  const firstIndex = new Map<string, number>();
  rawNodes.forEach((n, i) => {
    if (!isRecord(n) || typeof n.id !== 'string') return;
    const first = firstIndex.get(n.id);
    if (first === undefined) firstIndex.set(n.id, i);
    else
      problems.push({ path: `nodes[${i}].id`, message: `duplicate node id "${n.id}" (first used by nodes[${first}])` });
  });
  const graph: Array<{ id: string; needs: string[] }> = [];
  rawNodes.forEach((n, i) => {
    if (!isRecord(n) || typeof n.id !== 'string') return;
    const needs = Array.isArray(n.needs) ? n.needs.filter((x): x is string => typeof x === 'string') : [];
    needs.forEach((dep, j) => {
      const path = `nodes[${i}].needs[${j}]`;
      if (dep === n.id) problems.push({ path, message: `node "${n.id}" cannot need itself` });
      else if (!firstIndex.has(dep))
        problems.push({
          path,
          message: `node "${n.id}" needs unknown node "${dep}"; known nodes: ${known(firstIndex)}`,
        });
    });
    graph.push({ id: n.id, needs: needs.filter((d) => d !== n.id) });
  });
  for (const cycle of findCycles(graph)) {
    const index = firstIndex.get(cycle[0] ?? '') ?? 0;
    const loop = [...cycle, cycle[0]].join(' -> ');
    problems.push({ path: `nodes[${index}].needs`, message: `cycle through nodes ${loop} (each needs the next)` });
  }
  return problems;
}

function checkTypes(rawNodes: readonly unknown[], catalog: NodeTypeCatalog, allowUnknown: boolean): Problem[] {
  const problems: Problem[] = [];
  rawNodes.forEach((n, i) => {
    if (!isRecord(n) || typeof n.type !== 'string' || n.type === '') return;
    const described = catalog.get(n.type);
    if (!described) {
      if (!allowUnknown) {
        const types = [...catalog.keys()].sort().join(', ');
        problems.push({ path: `nodes[${i}].type`, message: `unknown node type "${n.type}"; known types: ${types}` });
      }
      return;
    }
    const result = described.params.safeParse(n.params ?? {});
    if (!result.success) problems.push(...fromZod(result.error.issues, ['nodes', i, 'params']));
    const role = described.stream;
    const needs = Array.isArray(n.needs) ? n.needs.length : 0;
    if ((role === 'transform' || role === 'sink') && needs !== 1)
      problems.push({
        path: `nodes[${i}].needs`,
        message: `${n.type} reads the rows of exactly one upstream node: list one node in needs (found ${needs})`,
      });
  });
  return problems;
}

const known = (ids: Map<string, number>): string => [...ids.keys()].slice(0, 20).join(', ') || '(none)';

function dedupe(problems: Problem[]): Problem[] {
  const seen = new Set<string>();
  return problems.filter((p) => {
    const key = `${p.path}\u0000${p.message}`;
    if (seen.has(key)) return false;
    seen.add(key);
    return true;
  });
}
