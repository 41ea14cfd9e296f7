/** A later attempt of a file-writing job removes the temp files its earlier (killed) attempts left, and only those. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { openAtomicFile, removeEarlierTemps } from '../../../src/data/files/atomic-file';

let dir: string;
beforeEach(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-atomic-'))));
afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

test("attempt 3 removes attempts 1 and 2 of its job, and keeps its own, other jobs', other targets' and other files", async () => {
  const target = path.join(dir, 'out.csv');
  for (const name of [
    '.out.csv.tmp-abc-1-000000000001',
    '.out.csv.tmp-abc-2-000000000002',
    '.out.csv.tmp-abc-3-000000000003',
    '.out.csv.tmp-abc-12-000000000012',
    '.out.csv.tmp-xyz-1-000000000004',
    '.out.csv.tmp-000000000005',
    '.other.csv.tmp-abc-1-000000000006',
    'out.csv',
  ])
    fs.writeFileSync(path.join(dir, name), 'x');
  await removeEarlierTemps(target, { id: 'abc', attempt: 3 });
  expect(fs.readdirSync(dir).sort()).toEqual([
    '.other.csv.tmp-abc-1-000000000006',
    '.out.csv.tmp-000000000005',
    '.out.csv.tmp-abc-12-000000000012',
    '.out.csv.tmp-abc-3-000000000003',
    '.out.csv.tmp-xyz-1-000000000004',
    'out.csv',
  ]);
});

test('an owned temp file is named by job and attempt, and commits onto the target', async () => {
  const target = path.join(dir, 'out.csv');
  const file = openAtomicFile(target, { id: 'abc', attempt: 2 });
  expect(path.basename(file.tempPath)).toMatch(/^\.out\.csv\.tmp-abc-2-[0-9a-f]{12}$/);
  await file.write('a\n');
  await file.commit();
  expect(fs.readdirSync(dir)).toEqual(['out.csv']);
});
