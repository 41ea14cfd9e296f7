import type { RowChunk } from '../../../src/data/rows/batch';
import {
  CopyTextFormatError,
  CopyTextParser,
  decodeCopyText,
  type CopyTextOptions,
} from '../../../src/data/formats/copy-text-decoder';

type Rec = { line: number; fields?: readonly (string | null)[]; reject?: string; raw?: string };

/** The records of `chunks` in record order, checking that record numbers run 0, 1, 2, ... across chunks. */
function flatten(chunks: RowChunk[]): Rec[] {
  const out: { no: number; rec: Rec }[] = [];
  let expectedFirst = 0;
  for (const c of chunks) {
    expect(c.firstRecord).toBe(expectedFirst);
    expect(c.rows.length + c.rejects.length).toBe(c.recordCount);
    expect(c.lineNos).toHaveLength(c.rows.length);
    expectedFirst += c.recordCount;
    let r = 0;
    let ord = c.firstRecord;
    const rejectAt = (k: number) => {
      const j = c.rejects[k]!;
      out.push({ no: j.recordNo, rec: { line: j.lineNo, reject: j.reason, raw: j.raw } });
    };
    c.rows.forEach((fields, i) => {
      while (c.rejects[r]?.recordNo === ord) {
        rejectAt(r++);
        ord++;
      }
      out.push({ no: ord++, rec: { line: c.lineNos[i]!, fields } });
    });
    for (; r < c.rejects.length; r++) rejectAt(r);
  }
  out.forEach((o, i) => expect(o.no).toBe(i));
  return out.map((o) => o.rec);
}

/** Parses `text` pushed in pieces cut at `cuts` and returns the chunks. */
function parseChunks(text: string, opts: CopyTextOptions = {}, cuts: number[] = []): RowChunk[] {
  const p = new CopyTextParser(opts);
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    p.push(text.slice(from, cut));
    from = cut;
  }
  p.end();
  return p.takeChunks();
}

const parse = (text: string, opts?: CopyTextOptions) => flatten(parseChunks(text, opts));
/** Good rows and reject reasons, in record order. */
const rows = (text: string, opts?: CopyTextOptions) => parse(text, opts).map((r) => r.fields ?? r.reject);
/** The rows of a one-record input. */
const one = (text: string) => {
  const recs = parse(text);
  expect(recs).toHaveLength(1);
  return recs[0]!.fields;
};
const cleanFlags = (text: string) => parseChunks(text, { chunkRows: 1 }).map((c) => c.clean);

/** Decodes `pieces` (bytes) through the streaming entry point. */
async function decodeBytes(pieces: Buffer[], opts: CopyTextOptions): Promise<RowChunk[]> {
  const source = (async function* () {
    for (const p of pieces) yield p;
  })();
  const chunks: RowChunk[] = [];
  for await (const c of decodeCopyText(source, opts)) chunks.push(c);
  return chunks;
}

const UTF8_ERROR = 'escaped bytes are not valid UTF-8';

describe('CopyTextParser', () => {
  it('splits records at LF and fields at tab, with and without a final line break', () => {
    expect(parse('a\tb\tc\n1\t2\t3\n')).toEqual([
      { line: 1, fields: ['a', 'b', 'c'] },
      { line: 2, fields: ['1', '2', '3'] },
    ]);
    expect(rows('a\tb\n1\t2')).toEqual([
      ['a', 'b'],
      ['1', '2'],
    ]);
    expect(rows('')).toEqual([]);
  });

  it('reads every line as a record: an empty line is one empty field, empty fields are kept', () => {
    expect(parse('a\n\n\t\n\t\tx\n')).toEqual([
      { line: 1, fields: ['a'] },
      { line: 2, fields: [''] },
      { line: 3, fields: ['', ''] },
      { line: 4, fields: ['', '', 'x'] },
    ]);
  });

  it('reads the whole field \\N as NULL and any other \\N as the letter N', () => {
    expect(one('\\N\ta\\Nb\t\\Nx\tx\\N\t\\\\N\t\\N\n')).toEqual([null, 'aNb', 'Nx', 'xN', '\\N', null]);
    expect(one('\\N')).toEqual([null]);
    expect(one('\\N\t\\N')).toEqual([null, null]);
    // \N only stands for NULL as a whole field: with an escape in it the field is text.
    expect(one('\\N\\t\n')).toEqual(['N\t']);
  });

  it('decodes the simple escapes and a backslash before any other character', () => {
    expect(one('\\b\\f\\n\\r\\t\\v\\\\\n')).toEqual(['\b\f\n\r\t\v\\']);
    expect(one('a\\\tb\tc\n')).toEqual(['a\tb', 'c']);
    expect(one('\\a\\z\\.\\"\\ \\é\\😀\n')).toEqual(['az." é😀']);
    expect(one('x\\.y\\.\n')).toEqual(['x.y.']);
  });

  it('decodes octal escapes of one to three digits, keeping the low byte', () => {
    expect(one('\\101\\60\\0619\\7\\08x\n')).toEqual(['A019\x07\x008x']);
    expect(one('\\0\n')).toEqual(['\0']);
    // 0o501 & 0xff = 0x41
    expect(one('\\501\n')).toEqual(['A']);
  });

  it('decodes hex escapes of one or two digits; \\x without a hex digit is the letter x', () => {
    expect(one('\\x41\\x4a\\x4A\\x7\\x7g\\xg\\x\\x412\n')).toEqual(['AJJ\x07\x07gxgxA2']);
    expect(one('\\x')).toEqual(['x']);
  });

  it('decodes byte escapes above 0x7F together as UTF-8, octal and hex alike', () => {
    expect(
      one('\\303\\251\t\\xc3\\xA9\t\\342\\234\\223\t\\360\\237\\230\\200\ta\\303\\251b\\xe2\\x9c\\x93\\101\n'),
    ).toEqual(['é', 'é', '✓', '😀', 'aéb✓A']);
  });

  it('rejects a record whose byte escapes are not valid UTF-8, naming the first bad field', () => {
    const recs = parse(
      'ok\n' +
        'a\t\\377\n' +
        '\\303\n' +
        '\\303a\n' +
        '\\303\\101\n' +
        '\\251\n' +
        '\\300\\200\n' +
        '\\355\\240\\200\n' +
        'x\t\\xff\t\\xfe\n' +
        'after\n',
    );
    expect(recs.map((r) => [r.line, r.fields ?? r.reject, r.raw])).toEqual([
      [1, ['ok'], undefined],
      [2, `field 2: ${UTF8_ERROR}`, 'a\t\\377'],
      [3, `field 1: ${UTF8_ERROR}`, '\\303'],
      [4, `field 1: ${UTF8_ERROR}`, '\\303a'],
      [5, `field 1: ${UTF8_ERROR}`, '\\303\\101'],
      [6, `field 1: ${UTF8_ERROR}`, '\\251'],
      [7, `field 1: ${UTF8_ERROR}`, '\\300\\200'],
      [8, `field 1: ${UTF8_ERROR}`, '\\355\\240\\200'],
      [9, `field 2: ${UTF8_ERROR}`, 'x\t\\xff\t\\xfe'],
      [10, ['after'], undefined],
    ]);
  });

  it('reads an escaped line break as part of the field and counts it in line numbers', () => {
    expect(parse('a\\\nb\tc\nnext\n\\\n\\\n\tx\\\n\nlast\n')).toEqual([
      { line: 1, fields: ['a\nb', 'c'] },
      { line: 3, fields: ['next'] },
      { line: 4, fields: ['\n\n', 'x\n'] },
      { line: 8, fields: ['last'] },
    ]);
    // A reject after escaped breaks has its own physical line.
    expect(parse('x\\\ny\n\\377\n').map((r) => r.line)).toEqual([1, 3]);
  });

  it('keeps a lone backslash at the very end of the data', () => {
    expect(rows('a\nend\\')).toEqual([['a'], ['end\\']]);
  });

  it('ends the data at a \\. line and fails on data after it', () => {
    expect(rows('a\tb\n\\.\n')).toEqual([['a', 'b']]);
    expect(rows('a\n\\.')).toEqual([['a']]);
    expect(rows('a\r\n\\.\r\n')).toEqual([['a\r']]);
    expect(rows('\\.\n')).toEqual([]);
    // Not a marker: more text on the line, or the marker inside a field.
    expect(rows('\\.x\n\\.\tb\na\t\\.\n')).toEqual([['.x'], ['.', 'b'], ['a', '.']]);

    expect(() => parseChunks('a\n\\.\nb\n')).toThrow(
      new CopyTextFormatError(2, 'data after the end-of-data marker \\.'),
    );
    expect(() => parseChunks('a\n\\.\n\n')).toThrow(/^COPY text line 2: data after the end-of-data marker \\\.$/);
    // Data arriving in a later push fails as well, whether the marker's line break came before or with it.
    expect(() => parseChunks('a\n\\.\nb', {}, [5])).toThrow(CopyTextFormatError);
    expect(() => parseChunks('a\n\\.\nb', {}, [4])).toThrow(CopyTextFormatError);
    expect(() => parseChunks('a\n\\.\nb', {}, [3])).toThrow(CopyTextFormatError);
    // Empty pushes after the marker are fine.
    const p = new CopyTextParser();
    p.push('a\n\\.\n');
    p.push('');
    p.end();
    expect(flatten(p.takeChunks())).toEqual([{ line: 1, fields: ['a'] }]);
  });

  it('follows width changes between records, beyond the initial guess of 8 fields', () => {
    const wide = Array.from({ length: 12 }, (_, i) => `f${i}`);
    const wideNull = wide.map((f, i) => (i % 5 === 0 ? null : f));
    const text = [
      'a\tb\tc',
      wide.join('\t'),
      'x',
      wideNull.map((f) => f ?? '\\N').join('\t'),
      '\\N',
      'p\tq',
      wide.join('\t'),
    ].join('\n');
    expect(rows(text)).toEqual([['a', 'b', 'c'], wide, ['x'], wideNull, [null], ['p', 'q'], wide]);
  });

  it('marks chunks holding escapes, raw CR or raw NUL as not clean', () => {
    expect(cleanFlags('plain é✓\tx\n\\N\tx\n\\N\n')).toEqual([true, true, true]);
    expect(cleanFlags('a\\tb\na\\Nb\n\\\\\n\\101\nx\\\ny\n')).toEqual([false, false, false, false, false]);
    expect(cleanFlags('a\rb\tc\nx\0y\nclean\n')).toEqual([false, false, true]);
    // A rejected record was read through escapes too.
    expect(cleanFlags('\\377\n')).toEqual([false]);
  });

  // Product bug (reported, not fixed here): the raw CR/NUL check runs only on lines without a backslash, so on a
  // line whose only backslashes are NULLs the chunk stays clean and encodeCopyText would write the CR unescaped.
  // Remove `.failing` once the escaped path checks for them too.
  it.failing('marks a raw CR or NUL as not clean on a line that also holds a NULL', () => {
    expect(cleanFlags('a\rb\t\\N\nx\0y\t\\N\n')).toEqual([false, false]);
  });

  it('fails a record longer than maxRecordChars with its line number', () => {
    const p = new CopyTextParser({ maxRecordChars: 10 });
    p.push('a\nb\n0123');
    expect(() => p.push('4567890')).toThrow(new CopyTextFormatError(3, 'a record longer than 10 characters'));
    expect(() => new CopyTextParser({ maxRecordChars: 10 }).push('x\\\ny\n0123456789012')).toThrow(
      /^COPY text line 3: a record longer than 10 characters$/,
    );
    const q = new CopyTextParser({ maxRecordChars: 10 });
    q.push('0123456789');
    q.push('\n');
    q.end();
    expect(flatten(q.takeChunks())).toEqual([{ line: 1, fields: ['0123456789'] }]);
  });

  it('cuts chunks at chunkRows records, counting rejects, and numbers records across chunks', () => {
    const chunks = parseChunks('1\n2\n\\377\n4\n5\\t\n6\n7', { chunkRows: 2 });
    expect(chunks.map((c) => [c.firstRecord, c.recordCount, c.rows, c.lineNos, c.clean])).toEqual([
      [0, 2, [['1'], ['2']], [1, 2], true],
      [2, 2, [['4']], [4], false],
      [4, 2, [['5\t'], ['6']], [5, 6], false],
      [6, 1, [['7']], [7], true],
    ]);
    expect(chunks[1]!.rejects).toEqual([{ recordNo: 2, lineNo: 3, raw: '\\377', reason: `field 1: ${UTF8_ERROR}` }]);
    expect(() => new CopyTextParser({ chunkRows: 0 })).toThrow();
  });

  // Raw multibyte characters, NULLs, every kind of escape (multibyte UTF-8 from octal and hex bytes too), an
  // escaped line break, a raw CR, a reject, width changes and the end marker; chunks of 3, clean flags differ.
  const tricky =
    'plain\tfields\té✓😀\n' +
    'width\tchange\n' +
    'one\n' +
    '\\N\ta\\Nb\t\\\\N\n' +
    'tab\\there\tnl\\nx\tcr\\r\tesc\\\ttab\n' +
    '\n' +
    '\\N\t\\N\n' +
    'ß\n' +
    '\\N\tonly NULLs\n' +
    'raw\rcr\tv\n' +
    'multi\\\nline ü\tfield\n' +
    'bad\\377utf\tz\n' +
    '\\b\\f\\v\\101\\x41\\x4g\\xg\\0\\x7e\\é\n' +
    '\\303\\251\\342\\234\\223\\360\\237\\230\\200\t\\xc3\\xA9\\xE2\\x9C\\x93\n' +
    'end\t\\\\\n' +
    '\\.\n';

  const expected: Rec[] = [
    { line: 1, fields: ['plain', 'fields', 'é✓😀'] },
    { line: 2, fields: ['width', 'change'] },
    { line: 3, fields: ['one'] },
    { line: 4, fields: [null, 'aNb', '\\N'] },
    { line: 5, fields: ['tab\there', 'nl\nx', 'cr\r', 'esc\ttab'] },
    { line: 6, fields: [''] },
    { line: 7, fields: [null, null] },
    { line: 8, fields: ['ß'] },
    { line: 9, fields: [null, 'only NULLs'] },
    { line: 10, fields: ['raw\rcr', 'v'] },
    { line: 11, fields: ['multi\nline ü', 'field'] },
    { line: 13, reject: `field 1: ${UTF8_ERROR}`, raw: 'bad\\377utf\tz' },
    { line: 14, fields: ['\b\f\vAA\x04gxg\0~é'] },
    { line: 15, fields: ['é✓😀', 'é✓'] },
    { line: 16, fields: ['end', '\\'] },
  ];
  const splitOpts = { chunkRows: 3 };

  it('parses the split-test input as documented', () => {
    const chunks = parseChunks(tricky, splitOpts);
    expect(flatten(chunks)).toEqual(expected);
    expect(chunks.map((c) => [c.firstRecord, c.recordCount, c.clean])).toEqual([
      [0, 3, true],
      [3, 3, false],
      [6, 3, true],
      [9, 3, false],
      [12, 3, false],
    ]);
  });

  it('gives the same chunks for text pushed in pieces cut at every position', () => {
    const whole = parseChunks(tricky, splitOpts);
    for (let i = 0; i <= tricky.length; i++) {
      expect(parseChunks(tricky, splitOpts, [i])).toEqual(whole);
      for (let j = i; j <= tricky.length; j += 7) expect(parseChunks(tricky, splitOpts, [i, j])).toEqual(whole);
    }
    const everyChar = Array.from({ length: tricky.length - 1 }, (_, k) => k + 1);
    expect(parseChunks(tricky, splitOpts, everyChar)).toEqual(whole);
  });

  it('gives the same chunks for bytes cut at every byte offset and fed one byte at a time', async () => {
    const whole = parseChunks(tricky, splitOpts);
    const bytes = Buffer.from(tricky, 'utf8');
    expect(bytes.length).toBeGreaterThan(tricky.length);
    expect(await decodeBytes([bytes], splitOpts)).toEqual(whole);
    for (let i = 0; i <= bytes.length; i++) {
      expect(await decodeBytes([bytes.subarray(0, i), bytes.subarray(i)], splitOpts)).toEqual(whole);
    }
    const oneByOne = Array.from({ length: bytes.length }, (_, k) => bytes.subarray(k, k + 1));
    expect(await decodeBytes(oneByOne, splitOpts)).toEqual(whole);
  });

  it('fails data after the end marker whichever byte the input is cut at', async () => {
    const bytes = Buffer.from('a\t✓\n\\.\nmore\n', 'utf8');
    for (let i = 0; i <= bytes.length; i++) {
      await expect(decodeBytes([bytes.subarray(0, i), bytes.subarray(i)], {})).rejects.toThrow(
        /^COPY text line 2: data after the end-of-data marker/,
      );
    }
  });
});
