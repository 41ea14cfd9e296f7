/**
 * A Postgres cluster of a test's own (`initdb` into a scratch folder, on a free port), for faults the shared server
 * must never see: `stop('immediate')` is a crash as far as its clients and its recovery are concerned. As root, the
 * cluster runs as the `postgres` user (Postgres refuses to run as root).
 */
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort } from '../../src/platform/devserver/free-port';

const run = promisify(execFile);
const BIN = process.env.PIPEWRIGHT_PG_BIN ?? '/usr/lib/postgresql/15/bin';

export interface PrivatePostgres {
  /** `postgres://postgres@127.0.0.1:<port>/postgres`. */
  readonly url: string;
  readonly port: number;
  /** Stops the server: `immediate` aborts every backend without a checkpoint, as a crash does. */
  stop(mode?: 'fast' | 'immediate'): Promise<void>;
  /** Starts it again on the same data folder and port; returns once it accepts connections. */
  start(): Promise<void>;
  /** Stops it (immediately) and removes its folder. */
  remove(): Promise<void>;
}

export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-private-pg-'));
  const data = path.join(dir, 'data');
  const asRoot = process.getuid?.() === 0;
  if (asRoot) {
    const { stdout } = await run('id', ['-u', 'postgres']);
    const { stdout: gid } = await run('id', ['-g', 'postgres']);
    fs.chownSync(dir, Number(stdout.trim()), Number(gid.trim()));
  }
  const pg = (tool: string, args: string[]) =>
    asRoot
      ? run('runuser', ['-u', 'postgres', '--', path.join(BIN, tool), ...args], { cwd: dir })
      : run(path.join(BIN, tool), args, { cwd: dir });
  await pg('initdb', ['-D', data, '-A', 'trust', '-U', 'postgres', '-E', 'UTF8', '--no-sync', '--no-instructions']);
  const port = await freePort();
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=off -c max_connections=50`;
  const start = async (): Promise<void> =>
    void (await pg('pg_ctl', ['-D', data, '-o', options, '-l', path.join(dir, 'log'), '-w', '-t', '30', 'start']));
  const stop = async (mode: 'fast' | 'immediate' = 'fast'): Promise<void> =>
    void (await pg('pg_ctl', ['-D', data, '-m', mode, '-w', '-t', '30', 'stop']));
  await start();
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    port,
    start,
    stop,
    async remove() {
      await stop('immediate').catch(() => undefined);
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
