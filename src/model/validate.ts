/**
 * Validates a pipeline definition and reports every problem with its path, not just the first.
 * The same pure function runs in the client before a start and at the top of the workflow.
 */
import type { ZodIssue } from 'zod';
import type { NodeTypeCatalog } from './catalog';
import { createCatalog } from './catalog';
import { findCycles } from './cycles';
import { checkLimits } from './validate-limits';
import { partitionProblems } from './partitions';
import type { Problem } from './problems';
import { formatPath } from './problems';
import type { PipelineDefinition } from './schema';
import { PipelineSchema } from './schema';
import { ParamSpecSchema, ParamsSchema, type ParamSpec, type ParamSpecs, type ParamValues } from './params/schema';
import { checkParamDefaults, resolveParams, sampleParams } from './params/values';
import { hasTemplates, renderTemplates, type RunContext } from './templates/render';

/** A definition as one run executes it: params resolved, templates rendered. */
export interface RenderedRun {
  /** The definition with every node's params rendered. */
  readonly definition: PipelineDefinition;
  /** The run's param values (given, or the defaults). */
  readonly params: ParamValues;
  /** Ids of the nodes whose params held templates. */
  readonly templated: readonly string[];
}

export type ValidationResult =
  | {
      readonly ok: true;
      readonly definition: PipelineDefinition;
      readonly problems: readonly [];
      /** Present when a run was given to validate for. */
      readonly rendered?: RenderedRun;
    }
  | { readonly ok: false; readonly problems: readonly Problem[] };

/** The run a definition is validated for: its param values (typed, or text to convert) and context. */
export interface RunInput {
  readonly params?: unknown;
  /** ISO 8601; default a fixed sample date. */
  readonly logicalDate?: string;
  /** The run's workflow id; default a sample. */
  readonly id?: string;
}

export interface ValidateOptions {
  /** Known node types; defaults to the built-ins. */
  readonly catalog?: NodeTypeCatalog;
  /**
   * Accept types the catalog does not know (their params are not checked). The workflow uses this: it cannot
   * see which types a worker registers, so an unknown type fails at run time, non-retryably, naming it.
   */
  readonly allowUnknownTypes?: boolean;
  /**
   * Validate for one run: its params are checked against the declarations (unknown, missing, mistyped ones are
   * problems) and the result carries the definition rendered for it. Without a run, templates are checked with
   * the defaults or sample values of the declared types.
   */
  readonly run?: RunInput;
}

/** The date templates see when validation is not for a run. */
const SAMPLE_LOGICAL_DATE = '2024-01-01T00:00:00.000Z';

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

const fromZod = (issues: readonly ZodIssue[], prefix: ReadonlyArray<string | number> = []): Problem[] =>
  issues.map((i) => ({ path: formatPath([...prefix, ...i.path]), message: i.message }));

/** Validates `input` (parsed YAML/JSON or an object) against the schema and the cross-node rules. */
export function validateDefinition(input: unknown, options: ValidateOptions = {}): ValidationResult {
  const catalog = options.catalog ?? createCatalog();
  const parsed = PipelineSchema.safeParse(input);
  const problems: Problem[] = parsed.success ? [] : fromZod(parsed.error.issues);
  const rawNodes = isRecord(input) && Array.isArray(input.nodes) ? input.nodes : [];
  const templates = renderNodes(input, rawNodes, options.run);
  problems.push(...templates.problems);
  problems.push(
    ...checkGraph(rawNodes),
    ...checkTypes(rawNodes, catalog, options.allowUnknownTypes ?? false, templates.params),
  );
  if (isRecord(input)) problems.push(...checkLimits(input));
  if (parsed.success) problems.push(...partitionProblems(parsed.data));
  if (!parsed.success || problems.length > 0) return { ok: false, problems: dedupe(problems) };
  const definition = parsed.data;
  if (!options.run) return { ok: true, definition, problems: [] };
  const rendered: RenderedRun = {
    definition: {
      ...definition,
      nodes: definition.nodes.map((n, i) => {
        const params = templates.params.get(i);
        return params === undefined ? n : { ...n, params: params as Record<string, unknown> };
      }),
    },
    params: templates.values,
    templated: definition.nodes.filter((_n, i) => templates.params.has(i)).map((n) => n.id),
  };
  return { ok: true, definition, problems: [], rendered };
}

/** The declarations that parse (the schema reports the others), so that templates are checked against them. */
function declaredParams(raw: unknown): ParamSpecs {
  const all = ParamsSchema.safeParse(raw ?? {});
  if (all.success) return all.data;
  if (!isRecord(raw)) return {};
  const specs: Record<string, ParamSpec> = {};
  for (const [name, spec] of Object.entries(raw)) {
    const one = ParamSpecSchema.safeParse(spec);
    if (one.success) specs[name] = one.data;
  }
  return specs;
}

/**
 * Resolves the run's params (or samples) and renders the templates of every node's params: the rendered params by
 * node index (templated nodes only), and the problems of both.
 */
function renderNodes(
  input: unknown,
  rawNodes: readonly unknown[],
  run: RunInput | undefined,
): { problems: Problem[]; params: Map<number, unknown>; values: ParamValues } {
  const problems: Problem[] = [];
  const raw = isRecord(input) ? input : {};
  const specs = declaredParams(raw.params);
  problems.push(...checkParamDefaults(specs));
  let values = sampleParams(specs);
  if (run) {
    const resolved = resolveParams(specs, run.params);
    if (resolved.ok) values = resolved.values;
    else problems.push(...resolved.problems);
  }
  const name = typeof raw.name === 'string' ? raw.name : 'pipeline';
  const ctx: RunContext = {
    params: values,
    specs,
    logicalDate: run?.logicalDate ?? SAMPLE_LOGICAL_DATE,
    id: run?.id ?? `${name}--sample`,
    pipeline: name,
    version: typeof raw.version === 'string' || typeof raw.version === 'number' ? String(raw.version) : '1',
  };
  const params = new Map<number, unknown>();
  rawNodes.forEach((n, i) => {
    if (!isRecord(n) || !hasTemplates(n.params)) return;
    const r = renderTemplates(n.params, ctx, ['nodes', i, 'params']);
    if (r.ok) params.set(i, r.value);
    else problems.push(...r.problems);
  });
  return { problems, params, values };
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

function checkTypes(
  rawNodes: readonly unknown[],
  catalog: NodeTypeCatalog,
  allowUnknown: boolean,
  rendered: ReadonlyMap<number, unknown>,
): Problem[] {
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
    // Templated params are checked as rendered; a node whose templates failed to render has problems already.
    const templated = hasTemplates(n.params);
    if (!templated || rendered.has(i)) {
      const result = described.params.safeParse((templated ? rendered.get(i) : n.params) ?? {});
      if (!result.success) problems.push(...fromZod(result.error.issues, ['nodes', i, 'params']));
    }
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
