/**
 * source.parquet's memory: reading flights-3m.parquet (3M rows, 11 row groups) against a 300K-row slice of it
 * written with the same row groups, each read in a process of its own (ts-node's real module loader, as a worker
 * loads the code) reporting its peak RSS; the target is 3M rows within 1.2x of 300K. With V8's default heap sizing
 * the peak is a matter of when V8 collects (it lets garbage pile up a few row groups in, then levels off), so the
 * bound is read under a fixed heap limit, as a worker container runs; the default figures are printed too.
 *
 *   npm run bench:parquet
 *
 * QUICK=1 reads under the heap limit only. With BENCH_RATIOS_FILE set it also writes the ratio under the heap limit
 * there (npm run bench:check does).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { recordRatios } from '../check/ratios';
import { markdownTable } from '../dag/table';

const ROOT = path.join(__dirname, '../..');
const FLIGHTS = path.join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
const WRITER = path.join(ROOT, 'test/helpers/parquet/write-fixtures.mjs');
const READER = path.join(__dirname, 'read-peak-rss.ts');
const TARGET = 1.2;

function peakRss(file: string, nodeFlags: readonly string[]): { rows: number; peakRssMb: number } {
  const out = execFileSync(process.execPath, [...nodeFlags, '-r', 'ts-node/register/transpile-only', READER, file], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  return JSON.parse(out.trim().split('\n').at(-1) as string) as { rows: number; peakRssMb: number };
}

function main(): void {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-parquet-mem-'));
  try {
    const slice = path.join(dir, 'flights-300k.parquet');
    execFileSync(process.execPath, [WRITER, 'flights', slice, '300000']);
    const rows: string[][] = [];
    const heaps = [
      ['128 MB old space, 2 MB semi space', ['--max-old-space-size=128', '--max-semi-space-size=2']],
      ["V8's defaults", []],
    ] as const;
    for (const [name, flags] of process.env.QUICK === '1' ? heaps.slice(0, 1) : heaps) {
      const small = peakRss(slice, flags);
      const large = peakRss(FLIGHTS, flags);
      if (small.rows !== 300_000 || large.rows !== 3_000_000)
        throw new Error(`read ${small.rows} and ${large.rows} rows`);
      const ratio = large.peakRssMb / small.peakRssMb;
      if (flags.length > 0) recordRatios('parquet', { rss3mOver300k: ratio }, 'lower');
      rows.push([
        name,
        small.peakRssMb.toFixed(0),
        large.peakRssMb.toFixed(0),
        ratio.toFixed(2),
        ratio <= TARGET ? 'yes' : 'no',
      ]);
    }
    console.log(`\nsource.parquet peak RSS (MB), flights-3m.parquet: 300K-row slice vs the whole 3M rows\n`);
    console.log(markdownTable(['heap', '300K rows', '3M rows', 'ratio', `<= ${TARGET}`], rows));
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

main();
