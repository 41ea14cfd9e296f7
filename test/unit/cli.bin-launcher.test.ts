/**
 * bin/pipewright.js: runs the built CLI when dist/ is current (always in an installed package), falls back to the
 * TypeScript sources in a checkout whose sources changed since the build, and without ts-node says how to build.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const BIN_DIR = path.resolve(__dirname, '..', '..', 'bin');
let root: string;

beforeEach(() => {
  root = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bin-'));
  fs.mkdirSync(path.join(root, 'bin'));
  for (const f of ['pipewright.js', 'build-state.js'])
    fs.copyFileSync(path.join(BIN_DIR, f), path.join(root, 'bin', f));
  fs.mkdirSync(path.join(root, 'dist', 'src', 'cli'), { recursive: true });
  fs.writeFileSync(path.join(root, 'dist', 'src', 'cli', 'main.js'), "process.stdout.write('built CLI ran');");
});
afterEach(() => fs.rmSync(root, { recursive: true, force: true }));

const run = () =>
  spawnSync(process.execPath, [path.join(root, 'bin', 'pipewright.js'), '--version'], { encoding: 'utf8' });
const checkout = (sourceAgeMs: number, stampAgeMs?: number) => {
  const source = path.join(root, 'src', 'cli', 'main.ts');
  fs.mkdirSync(path.dirname(source), { recursive: true });
  fs.writeFileSync(source, '');
  const now = Date.now();
  fs.utimesSync(source, new Date(now - sourceAgeMs), new Date(now - sourceAgeMs));
  if (stampAgeMs === undefined) return;
  const stamp = path.join(root, 'dist', '.build-stamp');
  fs.writeFileSync(stamp, '');
  fs.utimesSync(stamp, new Date(now - stampAgeMs), new Date(now - stampAgeMs));
};

test('an installed package (no sources) runs the built CLI', () => {
  expect(run()).toMatchObject({ status: 0, stdout: 'built CLI ran' });
});

test('a checkout built after its last source change runs the built CLI', () => {
  checkout(60_000, 1_000);
  expect(run()).toMatchObject({ status: 0, stdout: 'built CLI ran' });
});

test('a checkout whose sources changed since the build never runs the stale build; without ts-node it says how to build', () => {
  checkout(1_000, 60_000);
  const r = run();
  expect(r.stdout).toBe('');
  expect(r.status).toBe(2);
  expect(r.stderr).toMatch(
    /pipewright is not built \(dist\/ is missing or older than its sources\): run `npm run build` in /,
  );
  // Never built at all: the same.
  fs.rmSync(path.join(root, 'dist'), { recursive: true });
  expect(run()).toMatchObject({ status: 2 });
});
