/**
 * Mermaid text of a pipeline graph: `flowchart LR`, a `subgraph` per fused chain, a `classDef` per node state in
 * the picture. GitHub, GitLab and many markdown viewers draw it; where none does, it still reads as text. Pure.
 */
import { NodeState } from '../model/state';
import type { PipelineGraph } from './model';
import { chainLabel, labelLines, statesOf } from './model';
import { STATE_SWATCHES, TEXT } from './palette';
import { clip, escapeMermaid } from './text';

// Words Mermaid's flowchart grammar reads as keywords wherever an id may stand.
const RESERVED = new Set([
  'end',
  'graph',
  'flowchart',
  'subgraph',
  'direction',
  'style',
  'linkstyle',
  'classdef',
  'class',
  'click',
  'call',
  'href',
  'default',
  'interpolate',
]);
// A `-` inside an id is fine unless another `-`, a `>` or a `.` follows it (that would start an arrow).
const PLAIN_ID = /^[A-Za-z][A-Za-z0-9_]*(?:-[A-Za-z0-9_]+)*$/;

/** Mermaid ids: the node ids where Mermaid reads them as ids, else `n<i>`; never two alike. */
function mermaidIds(ids: readonly string[]): Map<string, string> {
  const taken = new Set<string>();
  const out = new Map<string, string>();
  ids.forEach((id, i) => {
    let m = PLAIN_ID.test(id) && !RESERVED.has(id.toLowerCase()) && !taken.has(id) ? id : `n${i}`;
    while (taken.has(m) || ids.includes(m) !== (m === id)) m = `${m}_`;
    taken.add(m);
    out.set(id, m);
  });
  return out;
}

const label = (lines: readonly string[]): string => `"${lines.map((l) => escapeMermaid(clip(l, 80))).join('<br/>')}"`;

export function renderMermaid(graph: PipelineGraph): string {
  const ids = mermaidIds([...graph.nodes.map((n) => n.id), ...graph.chains.map((_, i) => `chain_${i + 1}`)]);
  const idOf = (id: string): string => ids.get(id) ?? id;
  const inChain = new Set(graph.chains.flat());
  const nodeLine = (indent: string, id: string): string => {
    const node = graph.nodes.find((n) => n.id === id);
    return node ? `${indent}${idOf(id)}[${label(labelLines(node))}]` : '';
  };
  const lines = ['flowchart LR', `  %% ${escapeMermaid(graph.title)}`];
  graph.chains.forEach((chain, i) => {
    lines.push(`  subgraph ${idOf(`chain_${i + 1}`)}[${label([chainLabel(chain)])}]`, '    direction LR');
    for (const id of chain) lines.push(nodeLine('    ', id));
    lines.push('  end');
  });
  for (const n of graph.nodes) if (!inChain.has(n.id)) lines.push(nodeLine('  ', n.id));
  for (const n of graph.nodes) for (const need of n.needs) lines.push(`  ${idOf(need)} --> ${idOf(n.id)}`);
  for (const state of statesOf(graph, Object.values(NodeState))) {
    const s = STATE_SWATCHES[state];
    const dash = s.dashed ? ',stroke-dasharray:5 3' : '';
    lines.push(`  classDef ${state} fill:${s.fill},stroke:${s.stroke},color:${TEXT}${dash}`);
    const members = graph.nodes.filter((n) => n.state === state).map((n) => idOf(n.id));
    lines.push(`  class ${members.join(',')} ${state}`);
  }
  return lines.join('\n');
}
