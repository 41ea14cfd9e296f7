/**
 * `split` of a CSV file against Postgres's own CSV reader: the parts of a file full of quoted line breaks, read at the
 * same time and loaded into one table, equal psql's `\copy` of the whole file (count and checksum).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestData, type TestData } from '../../helpers/data';
import { psqlCopy } from '../../helpers/psql-copy';
import { tableChecksum } from '../../helpers/table-checksum';
import { planCsvRanges, planCsvRangesAt, readCsvPart, type CsvPart } from '../../../src/data/partitions/csv-ranges';

const COLUMNS = ['id', 'a', 'b', 'c'];
const RECORDS = 20_000;

let data: TestData;
let dir: string;
let file: string;

beforeAll(async () => {
  data = await createTestData('csvranges');
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-csv-ranges-'));
  file = path.join(dir, 'quoted.csv');
  // CRLF throughout (COPY wants one kind of line end); every third record has a quoted LF or CRLF, doubled quotes,
  // an empty quoted field ('') or an unquoted empty one (NULL).
  const lines = ['id,a,b,c'];
  for (let i = 0; i < RECORDS; i++) {
    const a = i % 3 === 0 ? `"line one ${i}\nline ""two""\r\nthree"` : `plain ${i}`;
    const b = i % 5 === 0 ? '""' : i % 7 === 0 ? '' : `"b,${i}"`;
    const c = i % 11 === 0 ? `"${'"'.repeat(2 * (i % 4))}\n"` : `c${i % 97}`;
    lines.push(`${i},${a},${b},${c}`);
  }
  fs.writeFileSync(file, lines.join('\r\n') + '\r\n');
  for (const t of ['reference', 'parts'])
    await data.pool.query(`CREATE TABLE ${data.schema}.${t} (id int, a text, b text, c text)`);
  psqlCopy(`${data.schema}.reference`, file);
});
afterAll(async () => {
  fs.rmSync(dir, { recursive: true, force: true });
  await data.drop();
});

beforeEach(() => data.pool.query(`TRUNCATE ${data.schema}.parts`));

async function loadPart(part: CsvPart): Promise<number> {
  let n = 0;
  for await (const chunk of await readCsvPart('extract', file, part)) {
    expect(chunk.rejects).toEqual([]);
    const rows = chunk.rows.map((r) => Object.fromEntries(COLUMNS.map((c, i) => [c, r[i]])));
    await data.pool.query(
      `INSERT INTO ${data.schema}.parts SELECT * FROM json_populate_recordset(NULL::${data.schema}.parts, $1::json)`,
      [JSON.stringify(rows)],
    );
    n += rows.length;
  }
  return n;
}

it('the parts of a file, read at once, load what \\copy of the whole file loads', async () => {
  const plan = await planCsvRanges(file, { parts: 7 });
  expect(plan.parts).toHaveLength(7);
  const counts = await Promise.all(plan.parts.map(loadPart));
  for (const n of counts) expect(n).toBeGreaterThan(RECORDS / 10);
  expect(counts.reduce((a, b) => a + b, 0)).toBe(RECORDS);
  const reference = await tableChecksum(data.pool, `${data.schema}.reference`, COLUMNS);
  expect(reference.count).toBe(RECORDS);
  expect(reference.nulls.b).toBeGreaterThan(0);
  expect(await tableChecksum(data.pool, `${data.schema}.parts`, COLUMNS)).toEqual(reference);
});

it('split points right after a line break inside a quoted field start the parts at the next record', async () => {
  // Where a split that looked for the next line break would start a record in the middle of a quoted field.
  const text = fs.readFileSync(file, 'latin1');
  const inside: number[] = [];
  for (let at = text.indexOf('line one '); at >= 0; at = text.indexOf('line one ', at + 1))
    inside.push(text.indexOf('\n', at) + 1);
  const points = [1, 2, 3, 4, 5, 6].map((k) => inside[Math.floor((k * inside.length) / 7)] as number);
  const plan = await planCsvRangesAt(file, points);
  expect(plan.parts).toHaveLength(7);
  for (const p of plan.parts.slice(1)) {
    expect(points).not.toContain(p.start);
    expect(text.slice(p.start - 2, p.start)).toBe('\r\n');
  }
  const counts = await Promise.all(plan.parts.map(loadPart));
  expect(counts.reduce((a, b) => a + b, 0)).toBe(RECORDS);
  expect(await tableChecksum(data.pool, `${data.schema}.parts`, COLUMNS)).toEqual(
    await tableChecksum(data.pool, `${data.schema}.reference`, COLUMNS),
  );
});
