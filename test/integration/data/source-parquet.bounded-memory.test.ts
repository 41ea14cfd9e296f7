/**
 * Reading flights-3m.parquet (3M rows, 11 row groups) takes no more memory than reading a 300K-row slice of it written
 * with the same row groups: each read runs in a child process (ts-node's real module loader, as the worker would load
 * the code) and reports its peak RSS. With V8's default heap sizing the peak is a matter of when V8 collects (it lets
 * garbage pile up until a few row groups in, then levels off), so the bound is checked under a fixed heap limit, as a
 * worker container would run; both figures are printed.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const ROOT = path.join(__dirname, '../../..');
const FLIGHTS = path.join(ROOT, 'node_modules/vega-datasets/data/flights-3m.parquet');
const HELPERS = path.join(ROOT, 'test/helpers/parquet');
let dir: string;
let slice: string;

beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-parquet-mem-'));
  slice = path.join(dir, 'flights-300k.parquet');
  execFileSync(process.execPath, [path.join(HELPERS, 'write-fixtures.mjs'), 'flights', slice, '300000']);
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

function peakRss(file: string, nodeFlags: readonly string[]): { rows: number; peakRssMb: number } {
  const out = execFileSync(
    process.execPath,
    [...nodeFlags, '-r', 'ts-node/register/transpile-only', path.join(HELPERS, 'read-peak-rss.ts'), file],
    { cwd: ROOT, encoding: 'utf8' },
  );
  return JSON.parse(out.trim().split('\n').at(-1) as string) as { rows: number; peakRssMb: number };
}

test('peak RSS for 3M rows is within 1.2x of that for 300K rows', () => {
  const limited = ['--max-old-space-size=128', '--max-semi-space-size=2'];
  const small = peakRss(slice, limited);
  const large = peakRss(FLIGHTS, limited);
  expect(small.rows).toBe(300_000);
  expect(large.rows).toBe(3_000_000);
  const smallDefault = peakRss(slice, []);
  const largeDefault = peakRss(FLIGHTS, []);
  const mb = (n: number) => `${n.toFixed(0)} MB`;
  console.log(
    `source.parquet peak RSS, 300K vs 3M rows: ${mb(small.peakRssMb)} vs ${mb(large.peakRssMb)} ` +
      `(x${(large.peakRssMb / small.peakRssMb).toFixed(2)}) with a 128 MB old space; ` +
      `${mb(smallDefault.peakRssMb)} vs ${mb(largeDefault.peakRssMb)} with V8's default heap sizing`,
  );
  // Reading 3M rows in a 128 MB old space at all shows that what is alive does not grow with the file.
  expect(large.peakRssMb).toBeLessThanOrEqual(1.2 * small.peakRssMb);
  // Without a limit V8 collects later, but the peak still levels off far below the decoded file's size.
  expect(largeDefault.peakRssMb).toBeLessThan(800);
}, 300_000);
