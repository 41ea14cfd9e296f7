/**
 * `pipewright status --watch` as a user runs it with output piped (a child process, not a terminal): plain lines
 * for every state change, rows and rows per second of a running node from its heartbeats, the closing table with
 * rows, and the run's exit code.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { z } from 'zod';
import { PipewrightClient } from '../../src/client/client';
import type { NodeProgress } from '../../src/client/types';
import type { NodeType } from '../../src/nodes/node-type';
import { defineNodeType } from '../../src/nodes/node-type';
import { ROOT } from '../helpers/paths';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

/** Counts to `total` in steps of `step` rows every `everyMs`, reporting its progress as a data node does. */
const countRows = defineNodeType({
  name: 'count-rows',
  params: z.object({ total: z.number().int(), step: z.number().int(), everyMs: z.number().int() }).strict(),
  async run(ctx) {
    let rows = 0;
    while (rows < ctx.params.total) {
      await ctx.sleep(ctx.params.everyMs);
      rows += ctx.params.step;
      ctx.progress(rows);
    }
    return { stats: { rowsWritten: rows } };
  },
}) as NodeType<never>;

let h: TemporalHarness;
let pw: PipewrightClient;
beforeAll(async () => {
  h = await connectHarness('watch');
  await h.startWorker([countRows]);
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue, nodeTypes: [countRows] });
});
afterAll(() => h.close());

function cli(args: readonly string[]): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const child = spawn(process.execPath, [path.join(ROOT, 'bin', 'pipewright.js'), ...args], {
    cwd: ROOT,
    env: { ...process.env, TEMPORAL_ADDRESS: h.address, PIPEWRIGHT_TASK_QUEUE: h.taskQueue, PIPEWRIGHT_UI_BASE: '' },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

test('status --watch prints state changes, rows and rows/s of the running node, then the table, and exits 0', async () => {
  const run = await pw.start(
    {
      name: 'watch-rows',
      nodes: [
        { id: 'prepare', type: 'noop' },
        // 80,000 rows in about 8 s: long enough for the CLI (started through ts-node) to see it running.
        { id: 'load', type: 'count-rows', needs: ['prepare'], params: { total: 80_000, step: 2_000, everyMs: 200 } },
      ],
    },
    { runKey: uniqueId('k') },
  );
  const watching = cli(['status', run.workflowId, '--watch']);

  // What the CLI reads: the running node's rows, from its latest heartbeat among the run's pending activities.
  let seen: NodeProgress[] = [];
  for (let i = 0; i < 100 && !seen.some((p) => p.rows > 0); i++) {
    seen = await pw.progress(run.workflowId);
    await new Promise((r) => setTimeout(r, 100));
  }
  expect(seen).toEqual([expect.objectContaining({ nodeId: 'load', rows: expect.any(Number), attempt: 1 })]);
  expect(seen[0]?.rows).toBeGreaterThan(0);

  const r = await watching;
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  // Not a terminal: no cursor movement, only lines.
  expect(r.stdout).not.toContain('\x1b[');
  expect(r.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] prepare succeeded \(\d+ms, attempt 1\)$/m);
  expect(r.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] load running$/m);
  const rowsLines = [...r.stdout.matchAll(/^\[\d\d:\d\d:\d\d\] load ([\d,]+) rows, ([\d,.]+)\/s$/gm)];
  expect(rowsLines.length).toBeGreaterThanOrEqual(1);
  const counts = rowsLines.map((m) => Number(m[1]?.replace(/,/g, '')));
  expect([...counts].sort((a, b) => a - b)).toEqual(counts);
  for (const m of rowsLines) {
    // About 10,000 rows/s; loose bounds for a busy machine.
    const rate = Number(m[2]?.replace(/,/g, ''));
    expect(rate).toBeGreaterThan(1_000);
    expect(rate).toBeLessThan(100_000);
  }
  expect(r.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] load succeeded \([\d.]+s, attempt 1, 80,000 rows, [\d,]+\/s\)$/m);
  expect(r.stdout).toMatch(/^node\s+state\s+attempts\s+duration\s+rows\s+rows\/s\s+error$/m);
  expect(r.stdout).toMatch(/^load\s+succeeded\s+1\s+[\d.]+s\s+80,000\s+[\d,]+\/s$/m);
  expect(r.stdout).toMatch(new RegExp(`^${run.workflowId} completed in [\\d.]+s: 2 succeeded$`, 'm'));
});
