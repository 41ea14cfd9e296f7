/**
 * `split` of a CSV file: for every byte offset as a split point (and for N-part splits), the parts read one after the
 * other give exactly the records of a read of the whole file, each once, in order, on the same lines.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { readCsvFile, readCsvHeader, type CsvReader } from '../../../src/data/formats/csv-source';
import type { CsvOptionsInput } from '../../../src/data/formats/csv-options';
import { rowRecordNos } from '../../../src/data/rows/batch';
import { planCsvRanges, planCsvRangesAt, readCsvPart, type CsvPart } from '../../../src/data/partitions/csv-ranges';
import { CsvRecordStarts } from '../../../src/data/partitions/csv-record-starts';
import { InputFileError } from '../../../src/data/errors';

type Rec = { line: number; fields?: readonly (string | null)[]; reject?: string };

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-csv-ranges-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

let files = 0;
function write(content: string | Buffer): string {
  const file = path.join(dir, `f${files++}.csv`);
  fs.writeFileSync(file, content);
  return file;
}

async function records(reader: CsvReader): Promise<{ header?: readonly string[]; recs: Rec[] }> {
  const recs: Array<Rec & { no: number }> = [];
  for await (const chunk of reader) {
    const nos = rowRecordNos(chunk);
    chunk.rows.forEach((fields, i) => recs.push({ no: nos[i] as number, line: chunk.lineNos[i] as number, fields }));
    for (const r of chunk.rejects) recs.push({ no: r.recordNo, line: r.lineNo, reject: `${r.reason}: ${r.raw}` });
  }
  recs.sort((a, b) => a.no - b.no);
  return { header: reader.header, recs: recs.map(({ no: _no, ...r }) => r) };
}

/** The records of `parts` read one after the other; each part's header must be the file's. */
async function readParts(file: string, parts: readonly CsvPart[], opts: CsvOptionsInput): Promise<Rec[]> {
  const out: Rec[] = [];
  const fileHeader = opts.header === false ? undefined : await readCsvHeader(file, opts);
  for (const part of parts) {
    const { header, recs } = await records(await readCsvPart('n', file, part, opts));
    expect(header).toEqual(fileHeader);
    out.push(...recs);
  }
  return out;
}

function expectTiling(parts: readonly CsvPart[], size: number): void {
  expect(parts[0]?.start).toBe(0);
  parts.forEach((p, i) => {
    expect(p.index).toBe(i);
    expect(p.end).toBe(parts[i + 1]?.start ?? size);
    if (i > 0) expect(p.start).toBeGreaterThan(parts[i - 1]!.start);
  });
}

// Quoted newlines (LF and CRLF), doubled quotes, a quote inside an unquoted field, text after a closing quote (a
// reject), a blank line, multi-byte characters, a lone CR as a line break, and a last record without a line break.
const TRICKY =
  '\uFEFFid,name,note\r\n' +
  '1,plain,simple\r\n' +
  '2,"multi\nline",x\r\n' +
  '3,"doubled ""quotes"" here","a,b"\n' +
  '\n' +
  '4,mid"quote,lit"eral,5" disk\n' +
  '5,"crlf\r\ninside",""\r\n' +
  '6,"ends with quote""",\n' +
  '7,"x"junk,after\n' +
  '"8","\n",\n' +
  '9,ünïcødé,"€ ""q""\n"\r' +
  '10,last,no newline';

const CASES: Array<{ name: string; text: string; opts: CsvOptionsInput }> = [
  { name: 'header, BOM, CRLF, quoted newlines', text: TRICKY, opts: {} },
  { name: 'no header', text: TRICKY.replace('\uFEFFid,name,note\r\n', ''), opts: { header: false } },
  {
    name: "quote ' and delimiter ;, blank lines kept",
    text: TRICKY.replace(/"/g, "'").replace(/,/g, ';'),
    opts: { quote: "'", delimiter: ';', skipEmptyLines: false },
  },
  { name: 'a header with a quoted newline, trailing line break', text: '"a\nb",c\n1,2\n"3\n",4\n', opts: {} },
  { name: 'an unterminated quote swallows the rest', text: 'a,b\n1,2\n3,"open\n4,5\n6,7\n', opts: {} },
];

describe.each(CASES)('split of a file: $name', ({ text, opts }) => {
  const dialect = {
    header: opts.header,
    quote: opts.quote,
    delimiter: opts.delimiter,
    skipEmptyLines: opts.skipEmptyLines,
  };
  let file: string;
  let size: number;
  let whole: Rec[];
  beforeAll(async () => {
    file = write(text);
    size = fs.statSync(file).size;
    whole = (await records(readCsvFile(file, opts))).recs;
    expect(whole.length).toBeGreaterThan(1);
  });

  it('two parts at every split offset read every record once, in order, on its line', async () => {
    const twoPart = new Set<number>();
    for (let at = 0; at <= size; at++) {
      const plan = await planCsvRangesAt(file, [at], dialect);
      expectTiling(plan.parts, size);
      if (plan.parts.length === 2) twoPart.add(plan.parts[1]!.start);
      expect(await readParts(file, plan.parts, opts)).toEqual(whole);
    }
    // Every record after the first could be the second part's start: the scan found each record start.
    expect(twoPart.size).toBeGreaterThanOrEqual(whole.length - 1);
  });

  it.each([2, 3, 5, 7, 100])('%i parts read the whole file once', async (parts) => {
    const plan = await planCsvRanges(file, { parts }, dialect);
    expectTiling(plan.parts, size);
    expect(plan.parts.length).toBeLessThanOrEqual(Math.min(parts, whole.length + 1));
    expect(await readParts(file, plan.parts, opts)).toEqual(whole);
  });

  it('three split points at pairs of offsets across the file', async () => {
    for (let a = 0; a <= size; a += 11)
      for (let b = a; b <= size; b += 17) {
        const plan = await planCsvRangesAt(file, [a, b, b + 1], dialect);
        expect(await readParts(file, plan.parts, opts)).toEqual(whole);
      }
  });
});

describe('split of files without records', () => {
  it('an empty file is one empty part with no rows', async () => {
    const file = write('');
    const plan = await planCsvRanges(file, { parts: 4 });
    expect(plan).toEqual({
      fileSize: 0,
      parts: [
        { kind: 'byte-range', name: 'bytes 0-0 from line 1', index: 0, start: 0, end: 0, firstLine: 1, fileSize: 0 },
      ],
    });
    expect(await readParts(file, plan.parts, {})).toEqual([]);
  });

  it('a file with only a header is one part with the header and no rows', async () => {
    const file = write('\uFEFF"a\r\nb",c\r\n');
    const plan = await planCsvRanges(file, { parts: 8 });
    expect(plan.parts).toHaveLength(1);
    const { header, recs } = await records(await readCsvPart('n', file, plan.parts[0]!));
    expect(header).toEqual(['a\r\nb', 'c']);
    expect(recs).toEqual([]);
  });

  it('more parts than records make one part per record', async () => {
    const file = write('h\n1\n2\n3\n');
    const plan = await planCsvRanges(file, { parts: 8 });
    expect(plan.parts.map((p) => [p.start, p.end, p.firstLine])).toEqual([
      [0, 4, 1],
      [4, 6, 3],
      [6, 8, 4],
    ]);
    expect(await readParts(file, plan.parts, {})).toEqual((await records(readCsvFile(file))).recs);
  });
});

describe('split by part size', () => {
  it('makes about size / partSize parts that read the whole file', async () => {
    const lines = Array.from({ length: 2000 }, (_, i) => `${i},"name ${i}\nsecond line",${'x'.repeat(i % 50)}`);
    const file = write(`id,name,pad\n${lines.join('\n')}\n`);
    const size = fs.statSync(file).size;
    const plan = await planCsvRanges(file, { partSize: '16kB' });
    expect(plan.parts).toHaveLength(Math.ceil(size / 16384));
    expectTiling(plan.parts, size);
    // Each part is within one record of its nominal size.
    const nominal = size / plan.parts.length;
    for (const p of plan.parts) expect(Math.abs(p.end - p.start - nominal)).toBeLessThan(200);
    expect(await readParts(file, plan.parts, {})).toEqual((await records(readCsvFile(file))).recs);
  });
});

describe('a part of a file that changed', () => {
  it('fails naming the node and the file', async () => {
    const file = write('a\n1\n2\n');
    const plan = await planCsvRanges(file, { parts: 2 });
    fs.appendFileSync(file, '3\n');
    await expect(readCsvPart('load', file, plan.parts[1]!)).rejects.toThrow(InputFileError);
    await expect(readCsvPart('load', file, plan.parts[1]!)).rejects.toThrow(
      /node "load".*changed while it was read in parts/,
    );
  });
});

describe('the record-start scan', () => {
  it('finds the same starts and lines whatever blocks the bytes come in', () => {
    const bytes = Buffer.from(CASES[0]!.text);
    const scan = (block: number): Array<[number, number, boolean]> => {
      const out: Array<[number, number, boolean]> = [];
      const s = new CsvRecordStarts(0x22, 0x2c, 3, (o, l, e) => out.push([o, l, e]));
      for (let i = 0; i < bytes.length; i += block) s.push(bytes.subarray(i, i + block));
      return out;
    };
    const once = scan(bytes.length);
    expect(once.map(([, l]) => l)).toEqual([2, 3, 5, 6, 7, 8, 10, 11, 12, 14, 16]);
    for (let block = 1; block < 12; block++) expect(scan(block)).toEqual(once);
  });
});
