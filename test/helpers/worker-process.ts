/** Runs the deployed worker entry point (worker/main.ts) as a separate process, as production does. */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import net from 'node:net';
import { ROOT } from './paths';

export interface WorkerProcess {
  readonly child: ChildProcess;
  readonly exited: Promise<number | null>;
  /** Resolves once the worker logged that it polls its task queue. */
  readonly ready: Promise<void>;
  output(): string;
}

/** How the worker is started: by default the checkout's worker/main.ts through ts-node. */
export interface WorkerLaunch {
  readonly args: readonly string[];
  readonly cwd: string;
}

export function spawnWorkerProcess(
  address: string,
  taskQueue: string,
  env: Record<string, string> = {},
  launch: WorkerLaunch = { args: ['-r', 'ts-node/register/transpile-only', 'worker/main.ts'], cwd: ROOT },
): WorkerProcess {
  const child = spawn(process.execPath, launch.args, {
    cwd: launch.cwd,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: address,
      PIPEWRIGHT_TASK_QUEUE: taskQueue,
      PIPEWRIGHT_LOG_LEVEL: 'WARN',
      PIPEWRIGHT_METRICS_PORT: '0',
      PIPEWRIGHT_SDK_METRICS_PORT: '0',
      // Breaker news stays among this test's workers, never reaching other test runs on the shared Redis.
      PIPEWRIGHT_BREAKER_CHANNEL: `pwt-${taskQueue}:breakers`,
      // The shared Redis: keys and invalidation channel of this worker's own.
      PIPEWRIGHT_CACHE_PREFIX: `pwt-worker-${taskQueue}`,
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  const ready = (async () => {
    const deadline = Date.now() + 60_000;
    while (!output.includes('polling task queue') && Date.now() < deadline) {
      if (child.exitCode !== null) throw new Error(`worker exited ${child.exitCode}: ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
    if (!output.includes(`polling task queue "${taskQueue}"`)) throw new Error(`worker not polling: ${output}`);
  })();
  return { child, exited, ready, output: () => output };
}

/** A TCP port nothing listens on right now. */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}
