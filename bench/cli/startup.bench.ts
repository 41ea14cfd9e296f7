/**
 * CLI start-up: whole `pipewright` processes, as a user runs them, timed from spawn to exit; the median of 10 each,
 * next to `node -e 0` (the floor: starting Node itself) measured in the same run, in rounds of one run of each. `status` asks a real dev server
 * (started here, with an in-process worker) about a run that has ended.
 *
 *   npm run bench:cli        (builds dist/ first when a source changed: the CLI users run is the built one)
 *
 * RUNS=5 takes the median of 5 instead. With BENCH_RATIOS_FILE set it also writes each command's median over the
 * floor's there (npm run bench:check does).
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { DefaultLogger, NativeConnection, Runtime } from '@temporalio/worker';
import { PipewrightClient } from '../../src/client/client';
import { recordRatios } from '../check/ratios';
import { startDevServer } from '../../src/platform/devserver';
import { createPipewrightWorker } from '../../worker/create-worker';
import { describeMachine } from '../dag/machine';
import { median } from '../dag/stats';
import { markdownTable } from '../dag/table';

const ROOT = path.resolve(__dirname, '..', '..');
const BIN = path.join(ROOT, 'bin', 'pipewright.js');
const RUNS = Number(process.env.RUNS ?? 10);
const TARGET_MS = 500;

/** One whole process, spawn to exit (asynchronously: the worker in this process must answer `status`). */
function timeProcess(args: readonly string[], env: NodeJS.ProcessEnv): Promise<number> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (b: Buffer) => (stderr += b.toString()));
    child.on('error', reject);
    child.on('exit', (code) => {
      const ms = Number(process.hrtime.bigint() - t0) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`${args.join(' ')} exited ${code}: ${stderr.trim()}`));
    });
  });
}

/** Each case once to warm up (the file cache, not the code, is what it warms), then RUNS rounds of every case in turn. */
async function measure(cases: readonly (readonly string[])[], env: NodeJS.ProcessEnv): Promise<number[][]> {
  for (const args of cases) await timeProcess(args, env);
  const times = cases.map((): number[] => []);
  for (let i = 0; i < RUNS; i++) for (const [c, args] of cases.entries()) times[c]?.push(await timeProcess(args, env));
  return times;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  for (const line of describeMachine(path.join(ROOT, '.tools', 'bin', 'temporal'))) console.log(line);
  const server = await startDevServer({
    bin: path.join(ROOT, '.tools', 'bin', 'temporal'),
    headless: true,
    ip: '127.0.0.1',
    readyTimeoutMs: 30_000,
  });
  const native = await NativeConnection.connect({ address: server.address });
  const connection = await Connection.connect({ address: server.address });
  const taskQueue = 'bench-cli';
  const worker = await createPipewrightWorker({ connection: native, taskQueue, shutdownGraceMs: 1_000 });
  const running = worker.run();
  try {
    const pw = new PipewrightClient(new Client({ connection }), { taskQueue });
    const run = await pw.start({ name: 'bench-cli', nodes: [{ id: 'a', type: 'noop' }] });
    await pw.result(run.workflowId);
    const env = { ...process.env, TEMPORAL_ADDRESS: server.address, PIPEWRIGHT_TASK_QUEUE: taskQueue };
    const cases: Array<[string, readonly string[]]> = [
      ['node -e 0 (floor)', ['-e', '0']],
      ['pipewright --version', [BIN, '--version']],
      ['pipewright validate examples/fanout.yaml', [BIN, 'validate', 'examples/fanout.yaml']],
      [`pipewright status <id>`, [BIN, 'status', run.workflowId]],
    ];
    const rows: string[][] = [];
    const ratios: Record<string, number> = {};
    const all = await measure(
      cases.map(([, args]) => args),
      env,
    );
    const floors = all[0] as number[];
    const floor = median(floors);
    for (const [c, [name, args]] of cases.entries()) {
      const times = all[c] as number[];
      const m = median(times);
      // For the gate: the median of each round's own ratio (the floor ran just before, in the same round).
      if (c > 0)
        ratios[args[1] === '--version' ? 'version' : (args[1] as string)] = median(
          times.map((t, i) => t / (floors[i] as number)),
        );
      rows.push([
        name,
        m.toFixed(0),
        Math.min(...times).toFixed(0),
        Math.max(...times).toFixed(0),
        (m - floor).toFixed(0),
        name.startsWith('node') ? '' : m < TARGET_MS ? 'yes' : 'NO',
      ]);
    }
    console.log(`\nwhole-process runs, median of ${RUNS} (ms); target: under ${TARGET_MS} ms\n`);
    console.log(markdownTable(['command', 'median', 'min', 'max', 'over node -e 0', `< ${TARGET_MS} ms`], rows));
    recordRatios('cli', ratios, 'lower');
  } finally {
    worker.shutdown();
    await running;
    await connection.close();
    await native.close();
    await server.stop(5_000);
  }
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
