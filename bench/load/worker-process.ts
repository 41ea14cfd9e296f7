/**
 * The worker under test, as deployed: the compiled entry point (worker/main.js, compiled by `npm run bench:load`
 * into .cache/bench-dist so that it never shadows the sources for bin/pipewright.js) in a process of its own, so
 * that its memory is measured apart from the bench's own.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { withTimeout } from '../dag/timeout';

const ROOT = path.resolve(__dirname, '..', '..');
export const WORKER_ENTRY = path.join(ROOT, '.cache', 'bench-dist', 'worker', 'main.js');

export interface BenchWorker {
  readonly pid: number;
  /** Resident set size now, in bytes (from /proc), or 0 once the process has gone. */
  rss(): number;
  /** CPU time the process has used so far (user + system, all threads), in ms (from /proc). */
  cpuMs(): number;
  output(): string;
  stop(): Promise<void>;
}

/** Extra Node flags for the worker, e.g. BENCH_WORKER_NODE_ARGS="--cpu-prof --cpu-prof-dir=/tmp/prof" to profile it. */
const nodeArgs = (): string[] => (process.env.BENCH_WORKER_NODE_ARGS ?? '').split(' ').filter((a) => a.length > 0);

/** Starts the worker with `env` added to ours; resolves once it polls its task queue. */
export async function startBenchWorker(env: Record<string, string>): Promise<BenchWorker> {
  if (!fs.existsSync(WORKER_ENTRY))
    throw new Error(`${WORKER_ENTRY} is missing: run "npm run bench:load", which compiles it`);
  const child: ChildProcess = spawn(process.execPath, [...nodeArgs(), WORKER_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PIPEWRIGHT_LOG_LEVEL: 'WARN', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-20_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    await withTimeout(exited, 15_000, 'worker shutdown').catch(() => child.kill('SIGKILL'));
  };
  const ready = (async () => {
    while (!output.includes('polling task queue')) {
      if (child.exitCode !== null) throw new Error(`the worker exited (${child.exitCode}): ${output}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  })();
  try {
    await withTimeout(ready, 120_000, 'worker start');
  } catch (err) {
    await stop();
    throw err;
  }
  const pid = child.pid ?? -1;
  return { pid, rss: () => rssOf(pid), cpuMs: () => cpuMsOf(pid), output: () => output, stop };
}

/** VmRSS of `pid` in bytes; 0 when it cannot be read. */
export function rssOf(pid: number): number {
  try {
    const m = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return m ? Number(m[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/** Clock ticks per second of /proc/<pid>/stat times (USER_HZ: 100 on Linux everywhere). */
const TICKS_PER_SECOND = 100;

/** User plus system CPU time of `pid` in ms; 0 when it cannot be read. */
export function cpuMsOf(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // Fields after the command (which may hold spaces) in parentheses; utime and stime are the 14th and 15th.
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / TICKS_PER_SECOND;
  } catch {
    return 0;
  }
}

/** Samples `read()` every `everyMs` until stopped; `stop()` returns the peak seen. */
export function samplePeak(read: () => number, everyMs = 20): { stop(): number } {
  let peak = read();
  const timer = setInterval(() => (peak = Math.max(peak, read())), everyMs);
  return {
    stop() {
      clearInterval(timer);
      return Math.max(peak, read());
    },
  };
}

/** What a bench's worker process is started with: its server, task queue, prebuilt bundle and scratch schemas; no sweep, metrics on free ports. */
export function deployedWorkerEnv(o: {
  readonly address: string;
  readonly taskQueue: string;
  readonly bundle: string;
  readonly url: string;
  readonly schema: string;
  readonly stagingSchema: string;
}): Record<string, string> {
  return {
    TEMPORAL_ADDRESS: o.address,
    PIPEWRIGHT_TASK_QUEUE: o.taskQueue,
    PIPEWRIGHT_WORKFLOW_BUNDLE: o.bundle,
    DATABASE_URL: o.url,
    PIPEWRIGHT_DB_SCHEMA: o.schema,
    PIPEWRIGHT_STAGING_SCHEMA: o.stagingSchema,
    PIPEWRIGHT_STAGING_SWEEP_INTERVAL: '0',
    PIPEWRIGHT_METRICS_PORT: '0',
    PIPEWRIGHT_SDK_METRICS_PORT: '0',
  };
}
