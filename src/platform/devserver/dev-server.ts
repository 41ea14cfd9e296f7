/**
 * A local Temporal dev server (server and Web UI in one binary, `temporal server start-dev`) run as a child
 * process: on free ports or given ones, ready when it accepts connections, stopped with SIGTERM then SIGKILL.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { searchAttributeFlags } from '../../model/search-attributes';
import { DevServerError } from './errors';
import { freePort, isPortFree } from './free-port';
import { resolveProjectPath } from './paths';
import { waitForTemporal } from './wait-ready';

export interface DevServerOptions {
  /** The Temporal CLI binary; relative paths resolve from the current directory, then the project. */
  readonly bin: string;
  readonly ip?: string;
  /** Frontend gRPC port; a free one when omitted. */
  readonly port?: number;
  /** Web UI port; a free one when omitted. */
  readonly uiPort?: number;
  /** No Web UI. */
  readonly headless?: boolean;
  /** Keep runs in this SQLite file across restarts; in memory otherwise. */
  readonly dbFile?: string;
  readonly namespace?: string;
  /** The codec endpoint the Web UI calls to decode payloads (`--ui-codec-endpoint`), e.g. `https://host:8888/codec`. */
  readonly uiCodecEndpoint?: string;
  readonly readyTimeoutMs?: number;
}

export interface DevServer {
  /** `host:port` of the frontend, for TEMPORAL_ADDRESS. */
  readonly address: string;
  readonly namespace: string;
  /** `http://host:port` of the Web UI, unless headless. */
  readonly uiUrl?: string;
  readonly pid: number;
  /** The Web UI page of one run. */
  runUrl(workflowId: string): string | undefined;
  /** SIGTERM, then SIGKILL after `timeoutMs` (default 5 s). Safe to call twice. */
  stop(timeoutMs?: number): Promise<void>;
}

const MISSING_HINT = 'run "make setup" (it installs the Temporal CLI into .tools/bin) or set PIPEWRIGHT_TEMPORAL_BIN';

export async function startDevServer(options: DevServerOptions): Promise<DevServer> {
  const bin = resolveProjectPath(options.bin);
  if (!fs.existsSync(bin)) throw new DevServerError(bin, `the Temporal CLI is missing at ${bin}: ${MISSING_HINT}`);
  const ip = options.ip ?? '127.0.0.1';
  const namespace = options.namespace ?? 'default';
  const port = options.port ?? (await freePort(ip));
  const uiPort = options.headless ? undefined : (options.uiPort ?? (await freePort(ip)));
  for (const [what, p] of [
    ['port', port],
    ['Web UI port', uiPort],
  ] as const)
    if (p !== undefined && !(await isPortFree(p, ip)))
      throw new DevServerError(
        bin,
        `${what} ${p} on ${ip} is in use: is another Temporal server running? pick another`,
      );

  const args = ['server', 'start-dev', '--ip', ip, '--port', String(port), '--log-level', 'error'];
  args.push('--namespace', namespace);
  if (uiPort === undefined) args.push('--headless');
  else args.push('--ui-port', String(uiPort));
  if (options.dbFile) args.push('--db-filename', options.dbFile);
  if (options.uiCodecEndpoint && uiPort !== undefined) args.push('--ui-codec-endpoint', options.uiCodecEndpoint);
  // PipelineName and PipelineState, so runs are indexed by pipeline and state (`pipewright list --state paused`).
  args.push(...searchAttributeFlags());
  // Eager activity dispatch: an activity scheduled by a workflow task goes straight back to the worker that
  // completed it when that worker has a free slot, skipping a round through matching (off by default in the server).
  args.push('--dynamic-config-value', 'system.enableActivityEagerExecution=true');

  // Its own process group: Ctrl-C in a terminal reaches only us, and we stop the server after the worker drained.
  const child = spawn(bin, args, { detached: true, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  const keep = (d: Buffer): void => void (output = (output + d.toString()).slice(-4_000));
  child.stdout?.on('data', keep);
  child.stderr?.on('data', keep);
  let spawnError: Error | undefined;
  child.once('error', (err) => (spawnError = err));
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const killOnExit = (): void => void (child.exitCode === null && child.kill('SIGKILL'));
  process.once('exit', killOnExit);

  const address = `${ip}:${port}`;
  const stop = async (timeoutMs = 5_000): Promise<void> => {
    process.removeListener('exit', killOnExit);
    if (child.exitCode !== null || child.signalCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    await exited;
    clearTimeout(timer);
  };

  try {
    await waitForTemporal({
      address,
      namespace,
      deadline: Date.now() + (options.readyTimeoutMs ?? 30_000),
      gaveUp: () => exitedEarly(child, spawnError, output),
    });
  } catch (err) {
    await stop(1_000);
    throw new DevServerError(bin, `the Temporal dev server did not start: ${(err as Error).message}`);
  }
  const uiUrl = uiPort === undefined ? undefined : `http://${ip}:${uiPort}`;
  return {
    address,
    namespace,
    uiUrl,
    pid: child.pid ?? -1,
    runUrl: (workflowId) =>
      uiUrl && `${uiUrl}/namespaces/${encodeURIComponent(namespace)}/workflows/${encodeURIComponent(workflowId)}`,
    stop,
  };
}

function exitedEarly(child: ChildProcess, spawnError: Error | undefined, output: string): string | undefined {
  if (spawnError) return `cannot run it (${spawnError.message})`;
  if (child.exitCode === null && child.signalCode === null) return undefined;
  const tail = output.trim().split('\n').slice(-5).join(' | ');
  return `it exited (${child.exitCode ?? child.signalCode})${tail ? `: ${tail}` : ''}`;
}
