/**
 * Reading a large generated JSON file (about 150 MB: records with nested values, nulls and mixed types, at a path)
 * keeps memory bounded: the heap never holds more than a small part of the file, however large it is.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readJsonFile } from '../../../src/data/formats/json-source';

const RECORDS = 750_000;
let dir: string;
let file: string;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-json-mem-'));
  file = path.join(dir, 'big.json');
  const out = fs.createWriteStream(file);
  out.write('{"meta": {"generated": true}, "data": {"items": [\n');
  let block = '';
  for (let i = 0; i < RECORDS; i++) {
    const rec = {
      id: i,
      name: i % 7 === 0 ? null : `name ${i} ${'x'.repeat(i % 50)}`,
      score: i % 3 === 0 ? i / 7 : i,
      tags: { list: [i, `t${i}`, null], nested: { deep: i % 2 === 0 } },
      note: i % 11 === 0 ? 'line\nbreak\ttab' : 'a plain note that makes the record longer than a few bytes',
    };
    block += (i > 0 ? ',\n' : '') + JSON.stringify(rec);
    if (block.length > 1 << 20) {
      if (!out.write(block)) await new Promise<void>((r) => out.once('drain', () => r()));
      block = '';
    }
  }
  out.end(`${block}\n]}}\n`);
  await new Promise<void>((r, j) => out.on('finish', () => r()).on('error', j));
}, 120_000);
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('a 150 MB file streams with a heap that does not grow with it', async () => {
  const size = fs.statSync(file).size;
  expect(size).toBeGreaterThan(140e6);
  global.gc?.();
  const before = process.memoryUsage().heapUsed;
  let peak = before;
  let rows = 0;
  const columns = [
    { name: 'id', type: 'int' as const },
    { name: 'name', type: 'text' as const },
    { name: 'score', type: 'numeric' as const },
    { name: 'tags', type: 'json' as const },
    { name: 'note', type: 'text' as const },
  ];
  for await (const chunk of readJsonFile(file, { records: ['data', 'items'], columns })) {
    rows += chunk.rows.length;
    if (rows % 16_384 < chunk.rows.length) peak = Math.max(peak, process.memoryUsage().heapUsed);
  }
  expect(rows).toBe(RECORDS);
  const growthMb = (peak - before) / 1e6;
  // Far below the file's size: only one read, one chunk of rows and garbage not yet collected are alive.
  expect(growthMb).toBeLessThan(100);
  console.log(`source.json: ${(size / 1e6).toFixed(0)} MB file, heap growth at peak ${growthMb.toFixed(1)} MB`);
}, 180_000);
