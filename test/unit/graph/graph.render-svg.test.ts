/**
 * The SVG: laid out by ELK (no box on another, each chain's group around its nodes, an edge per need from border
 * to border), drawn standalone (nothing fetched from elsewhere) with every text escaped.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Box, GraphLayout } from '../../../src/graph/layout';
import { layoutGraph } from '../../../src/graph/layout';
import type { PipelineGraph } from '../../../src/graph/model';
import { graphOfDefinition } from '../../../src/graph/model';
import { drawSvg, renderSvg } from '../../../src/graph/render-svg';
import { graphOfRun } from '../../../src/cli/run-graph';
import { chained, failedFanoutRun, fanout } from '../../helpers/graph-fixtures';
import { ROOT } from '../../helpers/paths';
import { STATUS_T0 } from '../../helpers/run-status';

const failedRun = (): PipelineGraph => graphOfRun('fanout-demo--k1', failedFanoutRun(), { now: Date.parse(STATUS_T0) });
const sizes = { node: () => ({ width: 120, height: 48 }), chainLabel: () => ({ width: 80, height: 16 }) };

const overlap = (a: Box, b: Box): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
const inside = (inner: Box, outer: Box): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const onBorder = (p: { x: number; y: number }, b: Box): boolean =>
  (Math.abs(p.x - b.x) < 0.5 || Math.abs(p.x - (b.x + b.width)) < 0.5) &&
  p.y >= b.y - 0.5 &&
  p.y <= b.y + b.height + 0.5;

function checkLayout(graph: PipelineGraph, layout: GraphLayout): void {
  expect(layout.nodes.map((n) => n.node.id)).toEqual(graph.nodes.map((n) => n.id));
  for (const [i, a] of layout.nodes.entries())
    for (const b of layout.nodes.slice(i + 1))
      expect([a.node.id, b.node.id, overlap(a, b)]).toEqual([a.node.id, b.node.id, false]);
  for (const n of layout.nodes)
    expect(inside(n, { x: 0, y: 0, width: layout.width, height: layout.height })).toBe(true);
  const box = new Map(layout.nodes.map((n) => [n.node.id, n]));
  expect(layout.chains.map((c) => c.members)).toEqual(graph.chains);
  for (const c of layout.chains) {
    for (const id of c.members) expect(inside(box.get(id) as Box, c)).toBe(true);
    expect(inside(c.label, c)).toBe(true);
    for (const n of layout.nodes) if (!c.members.includes(n.node.id)) expect(overlap(n, c)).toBe(false);
  }
  const needs = graph.nodes.flatMap((n) => n.needs.map((d) => `${d}->${n.id}`));
  expect(layout.edges.map((e) => `${e.from}->${e.to}`).sort()).toEqual(needs.sort());
  for (const e of layout.edges) {
    expect(onBorder(e.points[0] as Box, box.get(e.from) as Box)).toBe(true);
    expect(onBorder(e.points[e.points.length - 1] as Box, box.get(e.to) as Box)).toBe(true);
  }
}

test('ELK places the fan-out without overlaps, every edge from border to border', async () => {
  const graph = graphOfDefinition(fanout());
  checkLayout(graph, await layoutGraph(graph, sizes));
});

test("ELK puts each fused chain's nodes inside its group, and no other node", async () => {
  const graph = graphOfDefinition(chained());
  const layout = await layoutGraph(graph, sizes);
  expect(layout.chains).toHaveLength(2);
  checkLayout(graph, layout);
});

test('a big DAG (200 nodes in 10 layers) is laid out in seconds, still without overlaps', async () => {
  const nodes = Array.from({ length: 200 }, (_, i) => {
    const layer = Math.floor(i / 20);
    const needs = layer === 0 ? [] : [`n${(layer - 1) * 20 + ((i * 7) % 20)}`, `n${(layer - 1) * 20 + ((i * 3) % 20)}`];
    return { id: `n${i}`, type: 'noop', needs: [...new Set(needs)] };
  });
  const graph: PipelineGraph = { title: 'big', nodes, chains: [] };
  const started = Date.now();
  const layout = await layoutGraph(graph, sizes);
  expect(Date.now() - started).toBeLessThan(30_000);
  checkLayout(graph, layout);
}, 60_000);

test('the SVG of a definition: a box and a text per node, a path per need, a group per chain; the same twice', async () => {
  const graph = graphOfDefinition(chained());
  const svg = await renderSvg(graph);
  expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg" width="')).toBe(true);
  expect(svg.trimEnd().endsWith('</svg>')).toBe(true);
  for (const n of graph.nodes) {
    expect(svg).toContain(`<g class="node" data-node-id="${n.id}">`);
    expect(svg).toContain(`class="node-id">${n.id}</tspan>`);
  }
  expect(svg.match(/<path class="edge"/g)).toHaveLength(5);
  expect(svg).toContain('<g class="chain" data-members="airports us-airports">');
  expect(svg).toContain('fused: airports → us-airports</text>');
  expect(svg).not.toContain('class="legend"');
  expect(await renderSvg(graph)).toBe(svg);
});

test('the SVG of a run: state colours and a legend of the states shown, the error escaped, nothing external', async () => {
  const svg = await renderSvg(failedRun());
  expect(svg).toContain('<g class="node" data-node-id="part-4" data-state="failed">');
  expect(svg).toMatch(
    /data-node-id="part-4" data-state="failed"><title>[^<]*<\/title><rect [^>]*fill="#fee2e2" stroke="#dc2626"/,
  );
  expect(svg).toMatch(/data-node-id="join" data-state="skipped">[\s\S]*?stroke-dasharray="5 3"/);
  expect(svg).toContain('Error: flaky partition &lt;b&gt;&quot;4&quot;&lt;/b&gt; &amp; more: a…');
  expect(svg).not.toContain('<b>');
  // The whole error, in the node's tooltip.
  expect(svg).toContain('<title>part-4\nfail\nfailed · 4 attempts · 2.00s\nError: flaky partition &lt;b&gt;');
  expect(svg).toContain('a long message that goes on and on</title>');
  expect(svg).toMatch(/<g class="legend">.*>succeeded<.*>failed<.*>skipped<\/text><\/g>/);
  expect(svg).not.toMatch(/<(image|script|foreignObject|style|link)\b|href=|@import|@font-face|url\((?!#pw-arrow\))/);
  expect(svg.match(/https?:\/\//g)).toEqual(['http://']); // the namespace only
});

test('a drawing is as big as its layout plus the title and the legend, and holds long titles', () => {
  const graph: PipelineGraph = { title: 'x'.repeat(100), nodes: [], chains: [] };
  const svg = drawSvg(graph, { width: 50, height: 40, nodes: [], chains: [], edges: [] });
  const [, width, height] = /width="(\d+)" height="(\d+)"/.exec(svg) ?? [];
  expect(Number(width)).toBeGreaterThan(100 * 14 * 0.6);
  expect(Number(height)).toBe(70);
});

test("the README's picture is what the command draws (else: pipewright graph examples/fanout.yaml --out docs/graph-fanout.svg)", async () => {
  const committed = fs.readFileSync(path.join(ROOT, 'docs', 'graph-fanout.svg'), 'utf8');
  expect(await renderSvg(graphOfDefinition(fanout()))).toBe(committed.trimEnd());
});
