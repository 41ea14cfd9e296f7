/**
 * Places a pipeline graph with ELK's layered algorithm (elkjs, in process): nodes left to right along their needs,
 * each fused chain a group around its nodes, edges routed orthogonally around them. Every coordinate comes from
 * ELK, relative to the top left of the drawing.
 */
import type { ElkExtendedEdge, ElkNode } from 'elkjs/lib/elk-api';
import type { GraphNode, PipelineGraph } from './model';

export interface Size {
  readonly width: number;
  readonly height: number;
}

export interface Box extends Size {
  readonly x: number;
  readonly y: number;
}

export interface Point {
  readonly x: number;
  readonly y: number;
}

export interface PlacedNode extends Box {
  readonly node: GraphNode;
}

export interface PlacedChain extends Box {
  readonly members: readonly string[];
  /** Where the group's label goes (ELK keeps room for it inside the group, at the top). */
  readonly label: Box;
}

export interface PlacedEdge {
  readonly from: string;
  readonly to: string;
  /** From the border of `from` to the border of `to`, bends in between. */
  readonly points: readonly Point[];
}

export interface GraphLayout extends Size {
  readonly nodes: readonly PlacedNode[];
  readonly chains: readonly PlacedChain[];
  readonly edges: readonly PlacedEdge[];
}

export interface LayoutSizes {
  /** The box a node needs for its label. */
  readonly node: (node: GraphNode) => Size;
  /** The room a chain's label needs. */
  readonly chainLabel: (members: readonly string[]) => Size;
}

const ROOT_OPTIONS = {
  'elk.algorithm': 'layered',
  'elk.direction': 'RIGHT',
  'elk.edgeRouting': 'ORTHOGONAL',
  // One trunk per node's outgoing and incoming edges instead of a fan of parallel lines.
  'elk.layered.mergeEdges': 'true',
  'elk.padding': '[top=12,left=12,bottom=12,right=12]',
  'elk.spacing.nodeNode': '20',
  'elk.layered.spacing.nodeNodeBetweenLayers': '40',
  'elk.spacing.edgeNode': '12',
  'elk.layered.spacing.edgeNodeBetweenLayers': '16',
  // Coordinates relative to the drawing, not to each group.
  'elk.json.shapeCoords': 'ROOT',
  'elk.json.edgeCoords': 'ROOT',
};
/** Edges between a chain's nodes and the rest are laid out with the whole graph, not group by group. */
const WITH_GROUPS = { 'elk.hierarchyHandling': 'INCLUDE_CHILDREN' };
/**
 * Within a layer, nodes keep the order of the definition where crossings allow it. It costs the more the bigger the
 * graph (a minute for a thousand nodes side by side), and a big picture is read by searching, not in order.
 */
const IN_ORDER = { 'elk.layered.considerModelOrder.strategy': 'NODES_AND_EDGES' };
const BIG = 100;
/** Fewer rounds of crossing minimization for a big graph: seconds instead of minutes. */
const QUICK = { 'elk.layered.thoroughness': '1' };

const CHAIN_OPTIONS = {
  'elk.padding': '[top=8,left=12,bottom=12,right=12]',
  // Centred: a label on the left would be given room beside the nodes rather than above them.
  'elk.nodeLabels.placement': 'INSIDE V_TOP H_CENTER',
  'elk.nodeSize.constraints': 'NODE_LABELS',
};

// Node ids never hold a ':' (see NAME_RE), so these ids cannot meet theirs.
const chainId = (i: number): string => `chain:${i}`;
const edgeId = (from: string, to: string): string => `edge:${from}:${to}`;

/** The ELK graph of a pipeline graph: a node per node, a group node per chain, an edge per need. */
function elkGraph(graph: PipelineGraph, sizes: LayoutSizes): ElkNode {
  const chainOf = new Map<string, number>();
  graph.chains.forEach((chain, i) => chain.forEach((id) => chainOf.set(id, i)));
  const leaf = (n: GraphNode): ElkNode => ({ id: n.id, ...sizes.node(n) });
  const known = new Set(graph.nodes.map((n) => n.id));
  const edges: ElkExtendedEdge[] = graph.nodes.flatMap((n) =>
    n.needs.filter((d) => known.has(d)).map((d) => ({ id: edgeId(d, n.id), sources: [d], targets: [n.id] })),
  );
  const groups: ElkNode[] = graph.chains.map((chain, i) => ({
    id: chainId(i),
    layoutOptions: CHAIN_OPTIONS,
    labels: [{ text: chain.join(','), ...sizes.chainLabel(chain) }],
    children: graph.nodes.filter((n) => chainOf.get(n.id) === i).map(leaf),
  }));
  const loose = graph.nodes.filter((n) => !chainOf.has(n.id)).map(leaf);
  const big = graph.nodes.length > BIG;
  const layoutOptions = { ...ROOT_OPTIONS, ...(groups.length > 0 ? WITH_GROUPS : {}), ...(big ? QUICK : IN_ORDER) };
  return { id: 'root', layoutOptions, children: [...loose, ...groups], edges };
}

const boxOf = (n: { x?: number; y?: number; width?: number; height?: number }): Box => ({
  x: n.x ?? 0,
  y: n.y ?? 0,
  width: n.width ?? 0,
  height: n.height ?? 0,
});

/** Lays the graph out. ELK is loaded on first use: only drawing an SVG pays for it. */
export async function layoutGraph(graph: PipelineGraph, sizes: LayoutSizes): Promise<GraphLayout> {
  const { default: ELK } = await import('elkjs/lib/elk.bundled.js');
  const laid = await new ELK().layout(elkGraph(graph, sizes));
  const byId = new Map(graph.nodes.map((n) => [n.id, n]));
  const nodes: PlacedNode[] = [];
  const chains: PlacedChain[] = [];
  for (const child of laid.children ?? []) {
    if (!child.id.startsWith('chain:')) {
      const node = byId.get(child.id);
      if (node) nodes.push({ node, ...boxOf(child) });
      continue;
    }
    const members = graph.chains[Number(child.id.slice('chain:'.length))] ?? [];
    for (const grandchild of child.children ?? []) {
      const node = byId.get(grandchild.id);
      if (node) nodes.push({ node, ...boxOf(grandchild) });
    }
    chains.push({ members, ...boxOf(child), label: boxOf(child.labels?.[0] ?? {}) });
  }
  const edges: PlacedEdge[] = (laid.edges ?? []).map((e) => ({
    from: e.sources[0] ?? '',
    to: e.targets[0] ?? '',
    points: (e.sections ?? []).flatMap((s) => [s.startPoint, ...(s.bendPoints ?? []), s.endPoint]),
  }));
  // Definition order, so that the drawing lists nodes as the file does.
  const order = new Map(graph.nodes.map((n, i) => [n.id, i]));
  nodes.sort((a, b) => (order.get(a.node.id) ?? 0) - (order.get(b.node.id) ?? 0));
  return { width: laid.width ?? 0, height: laid.height ?? 0, nodes, chains, edges };
}
