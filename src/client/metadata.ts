/** What a run shows in the Temporal Web UI and list results before any worker touches it. */
import { graphOfDefinition } from '../graph/model';
import { renderMermaid } from '../graph/render-mermaid';
import type { PipelineDefinition } from '../model/schema';

const MAX_NODES_LISTED = 50;
/** A bigger graph is left out of the details (they travel in the run's first history event). */
const MAX_GRAPH_NODES = 50;
const MAX_GRAPH_CHARS = 8_000;

/** Memo fields set at start; `startToken` tells a fresh start from an existing run. */
export interface RunMemo {
  readonly pipeline: string;
  readonly version: string;
  readonly runKey: string;
  readonly startToken: string;
  /**
   * `sha256:<hex>` of the validated definition (see `definitionHash`); absent for a published definition started
   * by reference without its text (the workflow loads it).
   */
  readonly definitionHash?: string;
  /** For a rerun: the workflow id of the run it repeats. */
  readonly rerunOf?: string;
}

/** One line: `fanout-demo@1: 8 nodes`. */
export function staticSummary(definition: PipelineDefinition): string {
  const n = definition.nodes.length;
  return `${definition.name}@${definition.version}: ${n} node${n === 1 ? '' : 's'}`;
}

/**
 * The DAG as a fenced Mermaid block, which a viewer that draws Mermaid shows as a picture and any other as text;
 * for a big graph, a line saying how to draw it instead.
 */
export function detailsGraph(definition: PipelineDefinition): string {
  const mermaid = definition.nodes.length <= MAX_GRAPH_NODES ? renderMermaid(graphOfDefinition(definition)) : '';
  if (mermaid && mermaid.length <= MAX_GRAPH_CHARS) return ['```mermaid', mermaid, '```'].join('\n');
  return `graph left out (${definition.nodes.length} nodes): \`pipewright graph <workflow id>\` draws it`;
}

/**
 * Markdown: description, run key, parallelism, definition hash, the nodes with their types and needs, and the DAG
 * as Mermaid text.
 */
export function staticDetails(
  definition: PipelineDefinition,
  runKey: string,
  parallelism: number | undefined,
  hash?: string,
  params?: Readonly<Record<string, unknown>>,
  rerunOf?: string,
): string {
  const lines: string[] = [];
  if (definition.description) lines.push(definition.description, '');
  lines.push(`- run key: \`${runKey}\``);
  if (rerunOf) lines.push(`- rerun of: \`${rerunOf}\``);
  for (const [name, value] of Object.entries(params ?? {})) lines.push(`- param \`${name}\`: \`${String(value)}\``);
  lines.push(`- parallelism: ${parallelism ?? definition.defaults.parallelism ?? 'default'}`);
  if (hash) lines.push(`- definition: \`${hash}\``);
  // A list rather than a table: the Web UI renders markdown tables without cell padding.
  lines.push('', `${definition.nodes.length} nodes:`, '');
  for (const node of definition.nodes.slice(0, MAX_NODES_LISTED))
    lines.push(`- \`${node.id}\` ${node.type}${node.needs.length > 0 ? `, needs ${node.needs.join(', ')}` : ''}`);
  const rest = definition.nodes.length - MAX_NODES_LISTED;
  if (rest > 0) lines.push('', `and ${rest} more nodes`);
  lines.push('', detailsGraph(definition));
  return lines.join('\n');
}

export function readMemo(memo: Record<string, unknown> | undefined): Partial<RunMemo> {
  const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
  return {
    pipeline: str(memo?.pipeline),
    version: str(memo?.version),
    runKey: str(memo?.runKey),
    startToken: str(memo?.startToken),
    definitionHash: str(memo?.definitionHash),
    rerunOf: str(memo?.rerunOf),
  };
}
