/**
 * The performance regression gate. Runs the benchmarks' quick variants (bench/check/quick-benches.ts) and compares
 * each same-run ratio (never an absolute time) with bench/baseline.json: a ratio more than 10% worse than its
 * baseline fails, with the figure, the baseline and the command to investigate; exit code 1.
 *
 * Noise: every ratio is already a median of repetitions inside its bench; when one fails, its bench runs twice more
 * and the ratio judged is the median of the three runs' values, so one disturbed run does not fail the gate.
 *
 *   npm run bench:check                 [-- --only load,cli]
 *   npm run bench:baseline              (rewrites bench/baseline.json: the median of 3 runs of each bench)
 *                                       [-- --only load --repeat 3]
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { median } from '../dag/stats';
import { markdownTable } from '../dag/table';
import { judge, TOLERANCE, type Verdict } from './compare';
import { QUICK_BENCHES, type QuickBench } from './quick-benches';
import { readRatios, type Ratio, type Ratios } from './ratios';

const ROOT = path.resolve(__dirname, '..', '..');
const BASELINE = path.join(ROOT, 'bench', 'baseline.json');
const LOGS = path.join(ROOT, '.cache', 'bench-check');
const RETRIES = 2;

interface BaselineFile {
  readonly about: string;
  readonly measured: string;
  readonly machine: string;
  /** Each ratio, which way is better, and of how many runs it is the median. */
  readonly ratios: Record<string, Ratio & { readonly runs?: number }>;
}

/** Runs one quick bench to its end; returns its ratios (the log of its output is kept under .cache/bench-check). */
function runBench(bench: QuickBench, attempt: number): Ratios {
  fs.mkdirSync(LOGS, { recursive: true });
  const log = path.join(LOGS, `${bench.name}-${attempt}.log`);
  const out = path.join(LOGS, `${bench.name}-${attempt}.json`);
  fs.rmSync(out, { force: true });
  const fd = fs.openSync(log, 'w');
  const t0 = Date.now();
  const argv = ['run', bench.script, ...(bench.args.length > 0 ? ['--', ...bench.args] : [])];
  process.stdout.write(`${bench.name} (run ${attempt}): npm ${argv.join(' ')} ... `);
  const r = spawnSync('npm', argv, {
    cwd: ROOT,
    env: { ...process.env, ...bench.env, BENCH_RATIOS_FILE: out },
    stdio: ['ignore', fd, fd],
  });
  fs.closeSync(fd);
  if (r.status !== 0) {
    const tail = fs.readFileSync(log, 'utf8').split('\n').slice(-30).join('\n');
    throw new Error(`${bench.script} exited ${r.status ?? r.signal}; its output is in ${log}:\n${tail}`);
  }
  const ratios = readRatios(out);
  console.log(`${((Date.now() - t0) / 1000).toFixed(0)} s, ${Object.keys(ratios).length} ratios`);
  return ratios;
}

function writeBaseline(benches: readonly QuickBench[], repeat: number): void {
  const old = fs.existsSync(BASELINE) ? (JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as BaselineFile) : undefined;
  const ratios: BaselineFile['ratios'] = { ...old?.ratios };
  for (const bench of benches) {
    for (const name of Object.keys(ratios)) if (name.startsWith(`${bench.name}.`)) delete ratios[name];
    const runs = Array.from({ length: repeat }, (_, i) => runBench(bench, i + 1));
    for (const name of Object.keys(runs[0] ?? {}))
      ratios[name] = {
        value: Number(median(runs.map((r) => r[name]?.value ?? NaN)).toFixed(4)),
        better: runs[0]?.[name]?.better ?? 'higher',
        runs: repeat,
      };
  }
  const file: BaselineFile = {
    about:
      'Same-run ratios of the quick benchmarks (npm run bench:check compares with these), each the median of its ' +
      'runs. Rewrite on purpose with npm run bench:baseline, on an idle machine.',
    measured: new Date().toISOString(),
    machine: `${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`,
    ratios: Object.fromEntries(Object.entries(ratios).sort(([a], [b]) => a.localeCompare(b))),
  };
  fs.writeFileSync(BASELINE, `${JSON.stringify(file, null, 2)}\n`);
  console.log(`\nwrote ${path.relative(ROOT, BASELINE)}:`);
  for (const [name, r] of Object.entries(file.ratios))
    console.log(`  ${name}: ${r.value} (${r.better} is better; median of ${r.runs ?? '?'} runs)`);
}

function check(benches: readonly QuickBench[]): boolean {
  if (!fs.existsSync(BASELINE)) throw new Error(`${BASELINE} is missing: write it with npm run bench:baseline`);
  const baseline = (JSON.parse(fs.readFileSync(BASELINE, 'utf8')) as BaselineFile).ratios;
  console.log(`baseline: ${path.relative(ROOT, BASELINE)}; a ratio more than ${TOLERANCE * 100}% worse fails\n`);
  const verdicts: Array<Verdict & { bench: QuickBench }> = [];
  for (const bench of benches) {
    const names = Object.keys(baseline).filter((n) => n.startsWith(`${bench.name}.`));
    const runs = [runBench(bench, 1)];
    const judgeAll = () =>
      names.map((n) =>
        judge(
          n,
          runs.flatMap((r) => r[n]?.value ?? []),
          baseline[n]!,
        ),
      );
    let result = judgeAll();
    if (result.some((v) => !v.ok)) {
      console.log(
        `  ${result
          .filter((v) => !v.ok)
          .map((v) => v.name)
          .join(', ')} worse: running it ${RETRIES} more times`,
      );
      for (let i = 0; i < RETRIES; i++) runs.push(runBench(bench, runs.length + 1));
      result = judgeAll();
    }
    for (const n of Object.keys(runs[0] ?? {})) if (!names.includes(n)) console.log(`  ${n}: not in the baseline`);
    verdicts.push(...result.map((v) => ({ ...v, bench })));
  }
  const f = (x: number) => (Number.isFinite(x) ? x.toFixed(3) : 'not measured');
  console.log(
    `\n${markdownTable(
      ['ratio', 'measured', 'runs', 'baseline', 'better', 'change', 'ok'],
      verdicts.map((v) => [
        v.name,
        f(v.value),
        v.runs.map(f).join(', '),
        f(v.baseline),
        v.better,
        Number.isFinite(v.worse) ? `${v.worse > 0 ? '-' : '+'}${Math.abs(v.worse * 100).toFixed(1)}%` : '-',
        v.ok ? 'yes' : 'FAIL',
      ]),
    )}\n`,
  );
  const failed = verdicts.filter((v) => !v.ok);
  for (const v of failed)
    console.log(
      `FAIL ${v.name}: ${f(v.value)} (median of ${v.runs.length} runs: ${v.runs.map(f).join(', ')}) against the ` +
        `baseline ${f(v.baseline)} (${v.better} is better), ${(v.worse * 100).toFixed(1)}% worse; ` +
        `${TOLERANCE * 100}% allowed.\n     investigate: ${v.bench.investigate}`,
    );
  console.log(failed.length === 0 ? 'bench:check passed' : `bench:check FAILED: ${failed.length} ratio(s)`);
  return failed.length === 0;
}

function main(): void {
  const { values } = parseArgs({
    options: {
      'write-baseline': { type: 'boolean', default: false },
      only: { type: 'string' },
      repeat: { type: 'string', default: '3' },
    },
  });
  const only = values.only?.split(',');
  const unknown = only?.filter((n) => !QUICK_BENCHES.some((b) => b.name === n)) ?? [];
  if (unknown.length > 0)
    throw new Error(`no quick bench ${unknown.join(', ')}; known: ${QUICK_BENCHES.map((b) => b.name).join(', ')}`);
  const benches = QUICK_BENCHES.filter((b) => !only || only.includes(b.name));
  if (values['write-baseline']) writeBaseline(benches, Number(values.repeat));
  else if (!check(benches)) process.exitCode = 1;
}

try {
  main();
} catch (err) {
  console.error(err instanceof Error ? err.message : err);
  process.exitCode = 1;
}
