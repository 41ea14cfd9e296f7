/** What the figures were measured on: they mean little without the machine and the Temporal server version. */
import { execFileSync } from 'node:child_process';
import os from 'node:os';

/** One line per fact, for the bench header and docs/benchmarks.md. */
export function describeMachine(temporalBin: string): string[] {
  const cpus = os.cpus();
  let temporal: string;
  try {
    temporal = execFileSync(temporalBin, ['--version'], { encoding: 'utf8', timeout: 10_000 }).trim();
  } catch (err) {
    temporal = `unknown (${(err as Error).message})`;
  }
  return [
    `machine: ${cpus.length} cores (${cpus[0]?.model.trim() ?? 'unknown CPU'}), ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
    `node: ${process.version}`,
    `temporal CLI: ${temporal}`,
  ];
}
