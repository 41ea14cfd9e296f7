/**
 * SVG of a pipeline graph, drawn from its ELK layout: a box per node (its state's colours in a run), a dashed group
 * per fused chain, an arrow per need, the title on top and, for a run, a legend of the states shown. Standalone:
 * no fonts, styles or images from elsewhere; every text is escaped.
 */
import { NodeState } from '../model/state';
import type { GraphLayout, PlacedChain, PlacedEdge, PlacedNode, Size } from './layout';
import { layoutGraph } from './layout';
import type { GraphNode, PipelineGraph } from './model';
import { chainLabel, statesOf } from './model';
import { CHAIN_STROKE, EDGE, MUTED, STATE_SWATCHES, TEXT, swatchOf } from './palette';
import { clip, escapeXml } from './text';

// Monospace text has a width known without measuring it: about 0.6 em per character in every common face.
const FONT = "ui-monospace, 'DejaVu Sans Mono', Menlo, Consolas, monospace";
const CHAR_EM = 0.62;
const ID_SIZE = 13;
const LINE_SIZE = 11;
const ID_LINE = 18;
const LINE = 15;
const PAD_X = 10;
const PAD_Y = 8;
const MIN_WIDTH = 90;
const MAX_CHARS = 48;
const TITLE_HEIGHT = 30;
const LEGEND_HEIGHT = 28;
const MARGIN = 8;

const textWidth = (s: string, size: number): number => Math.ceil(s.length * size * CHAR_EM);
const round = (n: number): string => String(Math.round(n * 10) / 10);

/** The lines under a node's id: its type, then its details, each clipped. */
const subLines = (n: GraphNode): string[] => [n.type, ...(n.details ?? [])].map((l) => clip(l, MAX_CHARS));

function nodeSize(n: GraphNode): Size {
  const id = clip(n.id, MAX_CHARS);
  const lines = subLines(n);
  const width = Math.max(MIN_WIDTH, textWidth(id, ID_SIZE), ...lines.map((l) => textWidth(l, LINE_SIZE))) + 2 * PAD_X;
  return { width, height: 2 * PAD_Y + ID_LINE + lines.length * LINE };
}

const chainText = (members: readonly string[]): string => clip(chainLabel(members), 80);

function chainLabelSize(members: readonly string[]): Size {
  return { width: textWidth(chainText(members), LINE_SIZE) + 4, height: LINE + 4 };
}

function drawNode(p: PlacedNode, dy: number): string {
  const n = p.node;
  const s = swatchOf(n.state);
  const x = p.x;
  const y = p.y + dy;
  const dash = s.dashed ? ' stroke-dasharray="5 3"' : '';
  const tooltip = [n.id, n.type, ...(n.details ?? []), ...(n.note ? [n.note] : [])].map((l) => clip(l, 500));
  const texts = [
    `<tspan x="${round(x + PAD_X)}" y="${round(y + PAD_Y + ID_SIZE)}" font-size="${ID_SIZE}" font-weight="bold" ` +
      `class="node-id">${escapeXml(clip(n.id, MAX_CHARS))}</tspan>`,
    ...subLines(n).map(
      (l, i) =>
        `<tspan x="${round(x + PAD_X)}" y="${round(y + PAD_Y + ID_LINE + (i + 1) * LINE - 3)}" font-size="${LINE_SIZE}"` +
        `${i === 0 ? ` fill="${MUTED}"` : ''}>${escapeXml(l)}</tspan>`,
    ),
  ];
  return [
    `<g class="node" data-node-id="${escapeXml(n.id)}"${n.state ? ` data-state="${n.state}"` : ''}>`,
    `<title>${escapeXml(tooltip.join('\n'))}</title>`,
    `<rect x="${round(x)}" y="${round(y)}" width="${round(p.width)}" height="${round(p.height)}" rx="6" ` +
      `fill="${s.fill}" stroke="${s.stroke}" stroke-width="1.5"${dash}/>`,
    `<text fill="${TEXT}">${texts.join('')}</text>`,
    '</g>',
  ].join('');
}

function drawChain(c: PlacedChain, dy: number): string {
  return [
    `<g class="chain" data-members="${escapeXml(c.members.join(' '))}">`,
    `<rect x="${round(c.x)}" y="${round(c.y + dy)}" width="${round(c.width)}" height="${round(c.height)}" rx="8" ` +
      `fill="#f9fafb" stroke="${CHAIN_STROKE}" stroke-dasharray="6 4"/>`,
    `<text x="${round(c.label.x + 2)}" y="${round(c.label.y + dy + LINE)}" font-size="${LINE_SIZE}" fill="${MUTED}">` +
      `${escapeXml(chainText(c.members))}</text>`,
    '</g>',
  ].join('');
}

function drawEdge(e: PlacedEdge, dy: number): string {
  if (e.points.length < 2) return '';
  const d = e.points.map((p, i) => `${i === 0 ? 'M' : 'L'}${round(p.x)},${round(p.y + dy)}`).join(' ');
  return (
    `<path class="edge" data-from="${escapeXml(e.from)}" data-to="${escapeXml(e.to)}" d="${d}" fill="none" ` +
    `stroke="${EDGE}" stroke-width="1.2" marker-end="url(#pw-arrow)"/>`
  );
}

/** A row of swatches, one per state in the picture. */
function drawLegend(states: readonly NodeState[], y: number): string {
  let x = MARGIN + 4;
  const items = states.map((state) => {
    const s = STATE_SWATCHES[state];
    const dash = s.dashed ? ' stroke-dasharray="3 2"' : '';
    const item =
      `<rect x="${x}" y="${y + 6}" width="12" height="12" rx="2" fill="${s.fill}" stroke="${s.stroke}"${dash}/>` +
      `<text x="${x + 18}" y="${y + 16}" font-size="${LINE_SIZE}" fill="${TEXT}">${state}</text>`;
    x += 18 + textWidth(state, LINE_SIZE) + 16;
    return item;
  });
  return `<g class="legend">${items.join('')}</g>`;
}

/** The drawing of a layout; `graph` gives the title and the states for the legend. */
export function drawSvg(graph: PipelineGraph, layout: GraphLayout): string {
  const states = statesOf(graph, Object.values(NodeState));
  const title = clip(graph.title, 120);
  const legendWidth = states.reduce((w, s) => w + 34 + textWidth(s, LINE_SIZE), 2 * MARGIN);
  const width = Math.ceil(Math.max(layout.width, textWidth(title, 14) + 2 * MARGIN + 8, legendWidth));
  const height = Math.ceil(TITLE_HEIGHT + layout.height + (states.length > 0 ? LEGEND_HEIGHT : 0));
  const dy = TITLE_HEIGHT;
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}" ` +
      `font-family="${escapeXml(FONT)}" role="img" aria-label="${escapeXml(title)}">`,
    `<title>${escapeXml(title)}</title>`,
    '<defs><marker id="pw-arrow" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="7" markerHeight="7" ' +
      `orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z" fill="${EDGE}"/></marker></defs>`,
    `<rect width="${width}" height="${height}" fill="#ffffff"/>`,
    `<text class="title" x="${MARGIN + 4}" y="20" font-size="14" font-weight="bold" fill="${TEXT}">` +
      `${escapeXml(title)}</text>`,
    `<g class="chains">${layout.chains.map((c) => drawChain(c, dy)).join('')}</g>`,
    `<g class="edges">${layout.edges.map((e) => drawEdge(e, dy)).join('')}</g>`,
    `<g class="nodes">${layout.nodes.map((n) => drawNode(n, dy)).join('')}</g>`,
    ...(states.length > 0 ? [drawLegend(states, TITLE_HEIGHT + layout.height)] : []),
    '</svg>',
  ].join('\n');
}

/** Lays the graph out with ELK and draws it. */
export async function renderSvg(graph: PipelineGraph): Promise<string> {
  return drawSvg(graph, await layoutGraph(graph, { node: nodeSize, chainLabel: chainLabelSize }));
}
