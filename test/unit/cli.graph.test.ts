/** `pipewright graph` of a file, in process (no Temporal needed): formats, --out, and bad input. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { ROOT } from '../helpers/paths';

const FANOUT = path.join(ROOT, 'examples', 'fanout.yaml');

async function run(args: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'pipewright', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, {});
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-graph-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a file prints as Mermaid by default, as DOT or SVG with --format', async () => {
  const mermaid = await run(['graph', FANOUT]);
  expect(mermaid).toMatchObject({ code: 0, err: '' });
  expect(mermaid.out).toMatch(/^flowchart LR\n {2}%% fanout-demo@1\n {2}extract\["extract<br\/>sleep"\]\n/);
  expect(mermaid.out).toContain('  part-4 --> join');
  const dot = await run(['graph', FANOUT, '--format', 'dot']);
  expect(dot.code).toBe(0);
  expect(dot.out).toMatch(/^digraph "fanout-demo@1" \{\n/);
  const svg = await run(['graph', FANOUT, '--format', 'svg', '--out', '-']);
  expect(svg.code).toBe(0);
  expect(svg.out).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg" /);
  expect(svg.out.match(/<g class="node" /g)).toHaveLength(8);
});

test('--out writes the file in the format its name ends in, and says so', async () => {
  for (const [name, format, start] of [
    ['g.svg', 'svg', '<svg '],
    ['g.mmd', 'mermaid', 'flowchart LR'],
    ['g.mermaid', 'mermaid', 'flowchart LR'],
    ['g.dot', 'dot', 'digraph '],
    ['g.gv', 'dot', 'digraph '],
  ] as const) {
    const file = path.join(dir, name);
    expect(await run(['graph', FANOUT, '--out', file])).toEqual({
      code: 0,
      out: `wrote ${file} (${format}, 8 nodes)`,
      err: '',
    });
    const text = fs.readFileSync(file, 'utf8');
    expect([text.startsWith(start), text.endsWith('\n')]).toEqual([true, true]);
  }
  // --format wins over the name.
  const file = path.join(dir, 'mermaid.svg');
  expect((await run(['graph', FANOUT, '--out', file, '--format', 'mermaid'])).code).toBe(0);
  expect(fs.readFileSync(file, 'utf8').startsWith('flowchart LR')).toBe(true);
});

test('an unknown format, a name that names no format, and an unwritable --out exit 2 with one line', async () => {
  const format = await run(['graph', FANOUT, '--format', 'png']);
  expect(format.code).toBe(2);
  expect(format.err).toContain(
    "error: option '--format <format>' argument 'png' is invalid. use one of svg, mermaid, dot",
  );
  const png = path.join(dir, 'g.png');
  expect(await run(['graph', FANOUT, '--out', png])).toEqual({
    code: 2,
    out: '',
    err: `--out: cannot tell the format from "${png}" (.svg, .mmd, .mermaid, .dot, .gv): give --format svg|mermaid|dot`,
  });
  expect(fs.existsSync(png)).toBe(false);
  const nowhere = path.join(dir, 'no-such-folder', 'g.svg');
  const unwritable = await run(['graph', FANOUT, '--out', nowhere]);
  expect(unwritable.code).toBe(2);
  expect(unwritable.err).toMatch(new RegExp(`^cannot write ${nowhere}: ENOENT`));
});

test('a file with problems lists every one like validate, exit 2; a missing file is named, not taken for a run', async () => {
  const bad = path.join(dir, 'bad.yaml');
  fs.writeFileSync(bad, 'name: x\nnodes:\n  - { id: a, type: mystery, needs: [b] }\n');
  const r = await run(['graph', bad]);
  expect(r.code).toBe(2);
  expect(r.out).toBe('');
  expect(r.err).toContain(`${bad}: invalid pipeline definition (2 problems):`);
  expect(r.err).toContain('nodes[0].needs[0]: node "a" needs unknown node "b"');
  expect(r.err).toContain('nodes[0].type: unknown node type "mystery"');
  const missing = path.join(dir, 'missing.yaml');
  expect(await run(['graph', missing])).toEqual({ code: 2, out: '', err: `${missing}: no such file` });
});
