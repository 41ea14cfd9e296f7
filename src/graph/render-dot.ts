/**
 * Graphviz DOT text of a pipeline graph: a `digraph` laid out left to right, a `subgraph cluster_*` per fused
 * chain, each node filled with its state's colour (`dot -Tsvg`, `dot -Tpng` draw it). Pure.
 */
import type { GraphNode, PipelineGraph } from './model';
import { chainLabel, labelLines } from './model';
import { CHAIN_STROKE, EDGE, PLAIN, TEXT, swatchOf } from './palette';
import { clip, quoteDot } from './text';

const FONT = 'Helvetica';

function nodeStatement(node: GraphNode): string {
  const s = swatchOf(node.state);
  const attrs = [
    `label=${quoteDot(
      labelLines(node)
        .map((l) => clip(l, 80))
        .join('\n'),
    )}`,
  ];
  if (node.state) attrs.push(`fillcolor=${quoteDot(s.fill)}`, `color=${quoteDot(s.stroke)}`);
  if (s.dashed) attrs.push('style="rounded,filled,dashed"');
  if (node.note) attrs.push(`tooltip=${quoteDot(clip(node.note, 500))}`);
  return `${quoteDot(node.id)} [${attrs.join(', ')}];`;
}

export function renderDot(graph: PipelineGraph): string {
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const inChain = new Set(graph.chains.flat());
  const lines = [
    `digraph ${quoteDot(graph.title)} {`,
    `  graph [rankdir=LR, label=${quoteDot(graph.title)}, labelloc=t, fontname=${quoteDot(FONT)}];`,
    `  node [shape=box, style="rounded,filled", fontname=${quoteDot(FONT)}, fontsize=11, ` +
      `fillcolor=${quoteDot(PLAIN.fill)}, color=${quoteDot(PLAIN.stroke)}, fontcolor=${quoteDot(TEXT)}];`,
    `  edge [color=${quoteDot(EDGE)}];`,
  ];
  graph.chains.forEach((chain, i) => {
    lines.push(
      `  subgraph cluster_chain_${i + 1} {`,
      `    label=${quoteDot(clip(chainLabel(chain), 80))};`,
      `    style="dashed,rounded"; color=${quoteDot(CHAIN_STROKE)}; fontname=${quoteDot(FONT)}; fontsize=10;`,
    );
    for (const id of chain) {
      const node = byId.get(id);
      if (node) lines.push(`    ${nodeStatement(node)}`);
    }
    lines.push('  }');
  });
  for (const n of graph.nodes) if (!inChain.has(n.id)) lines.push(`  ${nodeStatement(n)}`);
  for (const n of graph.nodes) for (const need of n.needs) lines.push(`  ${quoteDot(need)} -> ${quoteDot(n.id)};`);
  lines.push('}');
  return lines.join('\n');
}
