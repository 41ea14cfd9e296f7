/**
 * CPU and memory while a scenario runs: the bench process (the in-process worker, with the client that drives it)
 * from process.cpuUsage and sampled RSS, and the Temporal dev server from /proc/<pid>/stat. CPU is in cores: 1.0 is
 * one core busy for the whole scenario.
 */
import fs from 'node:fs';

export interface ResourceUse {
  /** Bench process (worker + client): CPU seconds over wall seconds. */
  readonly workerCores: number;
  /** Bench process peak RSS, MiB. */
  readonly workerPeakRssMiB: number;
  /** The Temporal dev server: CPU seconds over wall seconds (NaN where /proc is not readable). */
  readonly serverCores: number;
}

const TICKS_PER_SECOND = 100;

function serverCpuSeconds(pid: number): number {
  try {
    const fields = fs.readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
    // utime and stime are fields 14 and 15 of stat; fields[0] here is field 3.
    return (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND;
  } catch {
    return Number.NaN;
  }
}

/** Starts measuring; `stop()` returns what was used since. */
export function measureResources(serverPid: number): { stop(): ResourceUse } {
  const cpu0 = process.cpuUsage();
  const server0 = serverCpuSeconds(serverPid);
  const t0 = performance.now();
  let peak = process.memoryUsage().rss;
  const timer = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 100);
  return {
    stop(): ResourceUse {
      clearInterval(timer);
      peak = Math.max(peak, process.memoryUsage().rss);
      const wallS = (performance.now() - t0) / 1000;
      const cpu = process.cpuUsage(cpu0);
      return {
        workerCores: (cpu.user + cpu.system) / 1e6 / wallS,
        workerPeakRssMiB: peak / 2 ** 20,
        serverCores: (serverCpuSeconds(serverPid) - server0) / wallS,
      };
    },
  };
}
