/** The formats a picture comes in, which one a file name asks for, and the renderer of each. */
import type { PipelineGraph } from './model';
import { renderDot } from './render-dot';
import { renderMermaid } from './render-mermaid';

export const GRAPH_FORMATS = ['svg', 'mermaid', 'dot'] as const;
export type GraphFormat = (typeof GRAPH_FORMATS)[number];

export const isGraphFormat = (s: string): s is GraphFormat => (GRAPH_FORMATS as readonly string[]).includes(s);

/** File name endings and the format each stands for. */
export const FORMAT_EXTENSIONS: Readonly<Record<string, GraphFormat>> = {
  '.svg': 'svg',
  '.mmd': 'mermaid',
  '.mermaid': 'mermaid',
  '.dot': 'dot',
  '.gv': 'dot',
};

/** The format a file name's ending stands for, or undefined for any other name. */
export function formatOfFile(file: string): GraphFormat | undefined {
  const dot = file.lastIndexOf('.');
  const slash = Math.max(file.lastIndexOf('/'), file.lastIndexOf('\\'));
  return dot > slash ? FORMAT_EXTENSIONS[file.slice(dot).toLowerCase()] : undefined;
}

/** The picture in a format; SVG loads its layout engine on first use. */
export async function renderGraph(graph: PipelineGraph, format: GraphFormat): Promise<string> {
  if (format === 'mermaid') return renderMermaid(graph);
  if (format === 'dot') return renderDot(graph);
  const { renderSvg } = await import('./render-svg');
  return renderSvg(graph);
}
