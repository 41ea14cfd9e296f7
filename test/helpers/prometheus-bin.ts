/** Debian's prometheus package, which `make setup` installs: the server and promtool. */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';

export const PROMETHEUS_BIN = '/usr/bin/prometheus';
export const PROMTOOL_BIN = '/usr/bin/promtool';

/** Fails (never skips) when a binary is missing, saying how to get it. */
export function requireBinary(bin: string): string {
  if (!fs.existsSync(bin))
    throw new Error(
      `${bin} is missing: run "make setup" (as root it installs Debian's prometheus package, which ships ` +
        'prometheus and promtool)',
    );
  return bin;
}

/** Runs promtool in `cwd`; its exit status and everything it printed. */
export function promtool(args: readonly string[], cwd: string): { status: number | null; output: string } {
  const r = spawnSync(requireBinary(PROMTOOL_BIN), args, { cwd, encoding: 'utf8', timeout: 30_000 });
  if (r.error) throw r.error;
  return { status: r.status, output: `${r.stdout}${r.stderr}` };
}
