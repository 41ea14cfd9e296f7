/**
 * A real Prometheus for a test: Debian's binary on a free port of 127.0.0.1, with the configuration given, its
 * storage in a temporary folder, stopped (and the folder removed) by `stop()`.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { PROMETHEUS_BIN, requireBinary } from './prometheus-bin';
import { freePort } from './worker-process';

/** One series of an instant query's result. */
export interface PromSample {
  readonly metric: Record<string, string>;
  readonly value: number;
}

export interface PrometheusServer {
  readonly url: string;
  /** An instant query through /api/v1/query, at `time` (Unix seconds) or now; throws on a PromQL error. */
  query(expr: string, time?: number): Promise<PromSample[]>;
  /** The `data` of any other GET /api/v1/... endpoint. */
  api<T>(endpoint: string): Promise<T>;
  output(): string;
  stop(): Promise<void>;
}

export async function startPrometheus(config: Record<string, unknown>): Promise<PrometheusServer> {
  const bin = requireBinary(PROMETHEUS_BIN);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-prometheus-'));
  const configFile = path.join(dir, 'prometheus.yml');
  fs.writeFileSync(configFile, stringify(config));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const child: ChildProcess = spawn(
    bin,
    [
      `--config.file=${configFile}`,
      `--storage.tsdb.path=${path.join(dir, 'data')}`,
      `--web.listen-address=127.0.0.1:${port}`,
      '--log.level=warn',
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  );
  let output = '';
  child.stdout?.on('data', (d: Buffer) => (output += d.toString()));
  child.stderr?.on('data', (d: Buffer) => (output += d.toString()));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));

  const api = async <T>(endpoint: string): Promise<T> => {
    const res = await fetch(`${url}/api/v1/${endpoint}`, { signal: AbortSignal.timeout(10_000) });
    const body = (await res.json()) as { status: string; data: T; error?: string };
    if (body.status !== 'success') throw new Error(`Prometheus ${endpoint}: ${body.error ?? res.status}`);
    return body.data;
  };
  const stop = async () => {
    if (child.exitCode === null) child.kill('SIGTERM');
    await exited;
    fs.rmSync(dir, { recursive: true, force: true });
  };

  const deadline = Date.now() + 20_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`prometheus exited ${child.exitCode}: ${output}`);
    const ready = await fetch(`${url}/-/ready`).then(
      (r) => r.ok,
      () => false,
    );
    if (ready) break;
    if (Date.now() > deadline) {
      await stop();
      throw new Error(`prometheus not ready on ${url} within 20 s: ${output}`);
    }
    await new Promise((r) => setTimeout(r, 100));
  }

  return {
    url,
    api,
    async query(expr, time) {
      const params = new URLSearchParams({ query: expr, ...(time !== undefined ? { time: String(time) } : {}) });
      const data = await api<{
        resultType: string;
        result: Array<{ metric: Record<string, string>; value: [number, string] }>;
      }>(`query?${params}`);
      if (data.resultType !== 'vector') throw new Error(`${expr}: a ${data.resultType}, not an instant vector`);
      return data.result.map((r) => ({ metric: r.metric, value: Number(r.value[1]) }));
    },
    output: () => output,
    stop,
  };
}
