/// <reference lib="dom" />
/**
 * `pipewright graph --out x.svg` opened in headless Chromium (Debian's, driven by playwright-core; nothing is
 * downloaded): every node id shows inside the viewport, every line of text inside its node's box, and no two boxes
 * overlap; for the example and for a finished run with a failed node, whose box has the failed colours.
 * Screenshots go to test-artifacts/.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { runCli } from '../../src/cli/cli';
import { STATE_SWATCHES } from '../../src/graph/palette';
import { launchChromium } from '../helpers/chromium';
import { ARTIFACTS, ROOT } from '../helpers/paths';
import { startPipeline } from '../helpers/runs';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';

const VIEWPORT = { width: 1400, height: 1000 };

let browser: Browser;
let h: TemporalHarness;

beforeAll(async () => {
  h = await connectHarness('graph-e2e');
  await h.startWorker();
  browser = await launchChromium();
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 60_000);

afterAll(async () => {
  await browser?.close();
  await h?.close();
});

async function graphSvg(target: string, name: string): Promise<string> {
  const file = path.join(ARTIFACTS, `${name}.svg`);
  const err: string[] = [];
  const env = { ...process.env, TEMPORAL_ADDRESS: h.address, PIPEWRIGHT_TASK_QUEUE: h.taskQueue };
  const code = await runCli(
    ['node', 'pipewright', 'graph', target, '--out', file],
    { out: () => {}, err: (t) => err.push(t) },
    env,
  );
  expect({ code, err }).toEqual({ code: 0, err: [] });
  return file;
}

interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

interface DrawnNode {
  readonly id: string;
  readonly idText: string;
  readonly idBox: Rect;
  readonly box: Rect;
  readonly lines: readonly Rect[];
  readonly fill: string | null;
  readonly stroke: string | null;
}

/** Each node as the browser laid it out: its box, its id's text and box, the boxes of its text lines. */
async function drawnNodes(page: Page): Promise<DrawnNode[]> {
  return page.evaluate(() => {
    const rect = (e: Element) => {
      const r = e.getBoundingClientRect();
      return { x: r.x, y: r.y, width: r.width, height: r.height };
    };
    return Array.from(document.querySelectorAll('g.node')).map((g) => {
      const box = g.querySelector('rect') as SVGRectElement;
      const id = g.querySelector('.node-id') as SVGTSpanElement;
      return {
        id: g.getAttribute('data-node-id') ?? '',
        idText: id.textContent ?? '',
        idBox: rect(id),
        box: rect(box),
        lines: Array.from(g.querySelectorAll('tspan')).map(rect),
        fill: box.getAttribute('fill'),
        stroke: box.getAttribute('stroke'),
      };
    });
  });
}

const inside = (inner: Rect, outer: Rect): boolean =>
  inner.x >= outer.x &&
  inner.y >= outer.y &&
  inner.x + inner.width <= outer.x + outer.width &&
  inner.y + inner.height <= outer.y + outer.height;
const overlap = (a: Rect, b: Rect): boolean =>
  a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;

/** Opens the SVG and checks what a reader needs: every id there, legible, in view, no box on another. */
async function checkDrawing(file: string, ids: readonly string[], screenshot: string): Promise<DrawnNode[]> {
  const page = await browser.newPage({ viewport: VIEWPORT });
  await page.goto(`file://${file}`);
  const nodes = await drawnNodes(page);
  expect(nodes.map((n) => n.id)).toEqual(ids);
  const viewport = { x: 0, y: 0, ...VIEWPORT };
  for (const n of nodes) {
    expect(n.idText).toBe(n.id);
    await expect(page.locator(`g.node[data-node-id="${n.id}"] .node-id`).isVisible()).resolves.toBe(true);
    expect([n.id, inside(n.idBox, viewport), inside(n.box, viewport)]).toEqual([n.id, true, true]);
    // The boxes were sized from estimated text widths: the browser's real fonts must fit in them.
    for (const line of n.lines) expect([n.id, inside(line, n.box)]).toEqual([n.id, true]);
  }
  for (const [i, a] of nodes.entries())
    for (const b of nodes.slice(i + 1)) expect([a.id, b.id, overlap(a.box, b.box)]).toEqual([a.id, b.id, false]);
  const size = await page.evaluate(() => {
    const svg = document.documentElement.getBoundingClientRect();
    return { width: Math.ceil(svg.width), height: Math.ceil(svg.height) };
  });
  await page.screenshot({ path: path.join(ARTIFACTS, screenshot), clip: { x: 0, y: 0, ...size } });
  await page.close();
  return nodes;
}

const FANOUT_IDS = ['extract', 'part-1', 'part-2', 'part-3', 'part-4', 'part-5', 'part-6', 'join'];

test('the SVG of examples/fanout.yaml shows every node id in view, and no box on another', async () => {
  const file = await graphSvg(path.join(ROOT, 'examples', 'fanout.yaml'), 'graph-fanout');
  const nodes = await checkDrawing(file, FANOUT_IDS, 'graph-fanout.png');
  expect(new Set(nodes.map((n) => n.fill))).toEqual(new Set(['#ffffff']));
}, 60_000);

test('the SVG of a finished run with a failed node: its states in colour, the failed node red', async () => {
  const handle = await startPipeline(h.client, h.taskQueue, {
    name: 'graph-failed',
    defaults: { onFailure: 'continue', retry: { maximumAttempts: 2, initialInterval: '50ms' } },
    nodes: [
      { id: 'extract', type: 'sleep', params: { duration: '50ms' } },
      ...[1, 2, 3, 5, 6].map((i) => ({
        id: `part-${i}`,
        type: 'sleep',
        needs: ['extract'],
        params: { duration: '20ms' },
      })),
      {
        id: 'part-4',
        type: 'fail',
        needs: ['extract'],
        params: { always: true, message: 'partition 4 is <broken> & "gone"' },
      },
      { id: 'join', type: 'noop', needs: ['part-1', 'part-2', 'part-3', 'part-4', 'part-5', 'part-6'] },
    ],
  });
  await handle.result().catch(() => undefined);
  const file = await graphSvg(handle.workflowId, 'graph-failed-run');
  const ids = ['extract', 'part-1', 'part-2', 'part-3', 'part-5', 'part-6', 'part-4', 'join'];
  const nodes = await checkDrawing(file, ids, 'graph-failed-run.png');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  expect(byId.get('part-4')).toMatchObject({ fill: STATE_SWATCHES.failed.fill, stroke: STATE_SWATCHES.failed.stroke });
  expect(byId.get('join')).toMatchObject({ fill: STATE_SWATCHES.skipped.fill });
  expect(byId.get('part-1')).toMatchObject({ fill: STATE_SWATCHES.succeeded.fill });
  expect(fs.readFileSync(file, 'utf8')).toContain('partition 4 is &lt;broken&gt; &amp; &quot;gone&quot;');
}, 60_000);
