/**
 * `sink.file` appears whole or not at all: when its input fails half-way the target is the old file (or still
 * absent), never part of the new one, and the temp file is gone; when the worker process writing it is killed with
 * SIGKILL, another worker writes it whole, and the killed attempt's temp file is gone too.
 */
import fs from 'node:fs';
import path from 'node:path';
import { createTestData, type TestData } from '../../helpers/data';
import { dataWorkerEnv, takeoverWorker } from '../../helpers/load-run';
import { createSalesFile, SALES_COLUMNS, type SalesFile } from '../../helpers/sales-file';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';
import { spawnWorkerProcess } from '../../helpers/worker-process';

/** About 12 MB of CSV: long enough to write that a kill lands mid-write. */
const ROWS = 200_000;

let h: TemporalHarness;
let d: TestData;
let sales: SalesFile;
/**
 * The sales file with an unterminated quoted field after its last row: a reject, which fails the node (maxRejects 0)
 * once every good row has gone to the sink, before the file is committed.
 */
let broken: string;
let outDir: string;
beforeAll(async () => {
  [h, d, sales] = await Promise.all([connectHarness('file-sink'), createTestData('filesink'), createSalesFile(ROWS)]);
  broken = path.join(path.dirname(sales.path), 'broken.csv');
  fs.copyFileSync(sales.path, broken);
  fs.appendFileSync(broken, `${ROWS + 1},2024-01-01T00:00:00Z,"eu-west${'x'.repeat(2000)}\n`);
  outDir = fs.mkdtempSync(path.join(path.dirname(sales.path), 'out-'));
}, 60_000);
afterAll(async () => {
  await h?.close();
  await d?.drop();
  sales?.remove();
});

const toFile = (source: string, target: string) => ({
  name: 'to-file',
  defaults: { heartbeatTimeout: '3s', retry: { initialInterval: '200ms', maximumAttempts: 3 } },
  nodes: [
    { id: 'extract', type: 'source.csv', params: { path: source, columns: SALES_COLUMNS } },
    { id: 'write', type: 'sink.file', needs: ['extract'], params: { path: target } },
  ],
});

/** The files in `dir` besides the targets: temp files a write left. */
const leftovers = (dir: string, targets: readonly string[]) =>
  fs.readdirSync(dir).filter((f) => !targets.includes(path.join(dir, f)));

describe('input failing half-way', () => {
  let old: string;
  let absent: string;
  beforeAll(async () => {
    old = path.join(outDir, 'old.csv');
    absent = path.join(outDir, 'absent.csv');
    fs.writeFileSync(old, 'id\n1\n');
    const worker = await takeoverWorker(h, h.taskQueue, d);
    await worker.runUntil(async () => {
      for (const target of [old, absent]) {
        const run = await startPipeline(h.client, h.taskQueue, toFile(broken, target));
        const failure = await failureOf(run.result());
        // The read failed at the end of the file, after every good row had gone to the sink.
        expect(failure.message).toMatch(new RegExp(`TooManyRejects.*line ${ROWS + 2}: unterminated quoted field`));
      }
    });
  });

  test('an existing target is still the old file', () => {
    expect(fs.readFileSync(old, 'utf8')).toBe('id\n1\n');
  });

  test('a target that did not exist still does not', () => {
    expect(fs.existsSync(absent)).toBe(false);
  });

  test('no temp file is left', () => {
    expect(leftovers(outDir, [old])).toEqual([]);
  });
});

test('SIGKILL mid-write: the target is absent until another worker writes it whole; no temp file is left', async () => {
  const dir = fs.mkdtempSync(path.join(outDir, 'kill-'));
  const target = path.join(dir, 'sales.csv');
  const clean = path.join(outDir, 'clean.csv');
  const queue = `${h.taskQueue}-kill`;
  const first = spawnWorkerProcess(h.address, queue, dataWorkerEnv(d));
  await first.ready;
  const run = await startPipeline(h.client, queue, toFile(sales.path, target));
  // Kill as soon as the temp file holds data: the write is under way, far from done.
  const deadline = Date.now() + 30_000;
  let temp: string | undefined;
  while (!temp && Date.now() < deadline) {
    temp = fs.readdirSync(dir).find((f) => f.includes('.tmp-') && fs.statSync(path.join(dir, f)).size > 0);
    if (!temp) await new Promise((r) => setTimeout(r, 2));
  }
  first.child.kill('SIGKILL');
  await first.exited;
  expect(temp).toBeDefined();
  expect(fs.existsSync(target)).toBe(false);

  const worker = await takeoverWorker(h, queue, d);
  const [{ status }, reference] = await worker.runUntil(async () =>
    Promise.all([run.result(), (await startPipeline(h.client, queue, toFile(sales.path, clean))).result()]),
  );
  expect(status.state).toBe('completed');
  expect(nodeOf(status, 'write').attempts).toBe(2);
  expect(reference.status.state).toBe('completed');
  expect(fs.readFileSync(target).equals(fs.readFileSync(clean))).toBe(true);
  expect(fs.readFileSync(target, 'utf8').split('\n')).toHaveLength(ROWS + 2);
  expect(leftovers(dir, [target])).toEqual([]);
}, 120_000);
