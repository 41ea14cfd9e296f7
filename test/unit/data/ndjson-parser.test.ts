import type { RowChunk } from '../../../src/data/rows/batch';
import {
  NdjsonFormatError,
  NdjsonParser,
  NdjsonReader,
  type NdjsonColumn,
  type NdjsonReaderOptions,
} from '../../../src/data/formats/ndjson-source';

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
function parseChunks(text: string, opts: NdjsonReaderOptions, cuts: number[] = []): RowChunk[] {
  const p = new NdjsonParser(opts);
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    p.push(text.slice(from, cut));
    from = cut;
  }
  p.end();
  return p.takeChunks();
}

const parse = (text: string, opts: NdjsonReaderOptions, cuts?: number[]) => flatten(parseChunks(text, opts, cuts));

/** Reads `pieces` (bytes) through the streaming reader. */
async function readBytes(pieces: Buffer[], opts: NdjsonReaderOptions): Promise<RowChunk[]> {
  const source = (async function* () {
    for (const p of pieces) yield p;
  })();
  const chunks: RowChunk[] = [];
  for await (const c of new NdjsonReader(source, opts)) chunks.push(c);
  return chunks;
}

const col = (name: string, type: NdjsonColumn['type'] = 'text'): NdjsonColumn => ({ name, type });
const textCols = (...names: string[]) => ({ columns: names.map((n) => col(n)) });
/** Good rows and reject reasons, in record order. */
const rows = (text: string, opts: NdjsonReaderOptions) => parse(text, opts).map((r) => r.fields ?? r.reject);
const cleanFlags = (text: string, opts: NdjsonReaderOptions) => parseChunks(text, opts).map((c) => c.clean);

describe('NdjsonParser', () => {
  it('takes the declared columns by exact key, in column order, with and without a final line break', () => {
    const opts = textCols('b', 'a');
    expect(parse('{"a":"1","b":"2","c":"x"}\n{"A":"no","b":"3"}\n', opts)).toEqual([
      { line: 1, fields: ['2', '1'] },
      { line: 2, fields: ['3', null] },
    ]);
    expect(rows('{"a":"1","b":"2"}', opts)).toEqual([['2', '1']]);
    expect(rows('', opts)).toEqual([]);
  });

  it('skips blank and whitespace-only lines but counts them in line numbers', () => {
    expect(parse('\n{"a":"x"}\n\n  \t \r\n\r\n{"a":"y"}\n\n', textCols('a'))).toEqual([
      { line: 2, fields: ['x'] },
      { line: 6, fields: ['y'] },
    ]);
  });

  it('drops a leading BOM (only at the very start) and the CR of CRLF line ends', () => {
    expect(parse('\uFEFF{"a":"x"}\r\n{"a":"y"}\r\n{"a":"z"}\r', textCols('a'))).toEqual([
      { line: 1, fields: ['x'] },
      { line: 2, fields: ['y'] },
      { line: 3, fields: ['z'] },
    ]);
    // A BOM later in the input is not whitespace: that line is not JSON.
    const later = parse('{"a":"x"}\n\uFEFF{"a":"y"}\n', textCols('a'));
    expect(later[0]).toEqual({ line: 1, fields: ['x'] });
    expect(later[1]).toMatchObject({ line: 2, raw: '\uFEFF{"a":"y"}' });
    expect(later[1]!.reject).toMatch(/^not valid JSON: /);
  });

  it('rejects invalid JSON and non-object lines with their line numbers, raw text and reason', () => {
    const recs = parse(
      '{"a":"ok"}\n{"a":\nnot json\n[1,2]\n"str"\n42\ntrue\nnull\n{"a":"x",}\n\n{"a":"last"}\n',
      textCols('a'),
    );
    expect(recs.map((r) => [r.line, r.fields ?? r.raw])).toEqual([
      [1, ['ok']],
      [2, '{"a":'],
      [3, 'not json'],
      [4, '[1,2]'],
      [5, '"str"'],
      [6, '42'],
      [7, 'true'],
      [8, 'null'],
      [9, '{"a":"x",}'],
      [11, ['last']],
    ]);
    expect(recs[1]!.reject).toMatch(/^not valid JSON: /);
    expect(recs[2]!.reject).toMatch(/^not valid JSON: /);
    expect(recs[8]!.reject).toMatch(/^not valid JSON: /);
    expect(recs.slice(3, 8).map((r) => r.reject)).toEqual([
      'expected a JSON object, found an array',
      'expected a JSON object, found a string',
      'expected a JSON object, found a number',
      'expected a JSON object, found a boolean',
      'expected a JSON object, found null',
    ]);
  });

  it('reads null and missing keys as NULL, including keys that exist on Object.prototype', () => {
    const opts = textCols('a', 'constructor', 'toString', '__proto__', 'hasOwnProperty');
    expect(rows('{"a":null}\n{}\n{"constructor":"c","toString":"t","__proto__":"p"}\n', opts)).toEqual([
      [null, null, null, null, null],
      [null, null, null, null, null],
      [null, 'c', 't', 'p', null],
    ]);
  });

  it('takes nested values as JSON text for json columns and rejects them for other columns', () => {
    const opts = { columns: [col('id', 'int'), col('doc', 'json'), col('name')] };
    expect(
      parse(
        '{"id":1,"doc":{"k":[1,"two",{"x":null}]},"name":"a"}\n' +
          '{"id":2,"doc":[true,false],"name":"b"}\n' +
          '{"id":3,"doc":"a \\"string\\"","name":"c"}\n' +
          '{"id":4,"doc":12.5,"name":"d"}\n' +
          '{"id":5,"doc":false,"name":"e"}\n' +
          '{"id":6,"doc":null,"name":"f"}\n' +
          '{"id":7,"doc":{},"name":{"nested":1}}\n' +
          '{"id":8,"doc":{},"name":[1]}\n' +
          '{"id":[9],"doc":{}}\n',
        opts,
      ),
    ).toEqual([
      { line: 1, fields: ['1', '{"k":[1,"two",{"x":null}]}', 'a'] },
      { line: 2, fields: ['2', '[true,false]', 'b'] },
      { line: 3, fields: ['3', '"a \\"string\\""', 'c'] },
      { line: 4, fields: ['4', '12.5', 'd'] },
      { line: 5, fields: ['5', 'false', 'e'] },
      { line: 6, fields: ['6', null, 'f'] },
      {
        line: 7,
        reject: 'column name: expected a scalar, found an object',
        raw: '{"id":7,"doc":{},"name":{"nested":1}}',
      },
      { line: 8, reject: 'column name: expected a scalar, found an array', raw: '{"id":8,"doc":{},"name":[1]}' },
      { line: 9, reject: 'column id: expected a scalar, found an array', raw: '{"id":[9],"doc":{}}' },
    ]);
  });

  it('re-serializes json objects compactly unless a long number makes it keep their source text', () => {
    const opts = { columns: [col('doc', 'json')] };
    expect(
      rows('{"doc": { "a" : 1 , "b" : [ 2 ] }}\n{"doc": {"big": 12345678901234567890, "f": 0.1}}\n', opts),
    ).toEqual([['{"a":1,"b":[2]}'], ['{"big": 12345678901234567890, "f": 0.1}']]);
  });

  it('writes numbers as decimal text and keeps digits a double cannot hold', () => {
    const opts = { columns: [col('n', 'numeric')] };
    const input = [
      '0',
      '-0',
      '42',
      '-17',
      '1.5',
      '1.50',
      '15e-1',
      '1e-7',
      '2.5E3',
      '1e21',
      '-1.5e22',
      '9007199254740993',
      '12345678901234567890',
      '-98765432109876543210',
      '123456789012345678901234567890',
      '0.1000000000000000055511151231257827',
      '3.14159265358979323846264338327950288',
      '1.2345678901234567e+30',
      '100000000000000000000000',
      '1e400',
      '-1e400',
    ];
    expect(rows(input.map((n) => `{"n":${n}}`).join('\n'), opts)).toEqual(
      [
        '0',
        '0',
        '42',
        '-17',
        '1.5',
        '1.5',
        '1.5',
        '1e-7',
        '2500',
        '1000000000000000000000',
        '-15000000000000000000000',
        '9007199254740993',
        '12345678901234567890',
        '-98765432109876543210',
        '123456789012345678901234567890',
        '0.1000000000000000055511151231257827',
        '3.14159265358979323846264338327950288',
        '1234567890123456700000000000000',
        '100000000000000000000000',
        '1e400',
        '-1e400',
      ].map((n) => [n]),
    );
  });

  // Product bug (reported, not fixed here): a literal below the double range underflows to 0 (or to a subnormal
  // with fewer digits) and, having no run of 16 digits and not being Infinity, is written from the double: the
  // value changes although a numeric column could hold it. Remove `.failing` once the source digits are kept.
  it.failing('keeps the source digits of numbers that underflow a double', () => {
    const opts = { columns: [col('n', 'numeric')] };
    expect(rows('{"n":1e-400}\n{"n":-2e-324}\n{"n":1.23456789e-320}\n', opts)).toEqual([
      ['1e-400'],
      ['-2e-324'],
      ['1.23456789e-320'],
    ]);
  });

  it('keeps exact digits per column, with repeated keys taking the last value as JSON.parse does', () => {
    const opts = { columns: [col('a', 'numeric'), col('b', 'numeric'), col('s')] };
    expect(
      rows(
        '{"a":12345678901234567891,"b":2,"s":"1234567890123456789"}\n{"a":1,"a":98765432109876543210,"b":1e400}\n',
        opts,
      ),
    ).toEqual([
      ['12345678901234567891', '2', '1234567890123456789'],
      ['98765432109876543210', '1e400', null],
    ]);
  });

  it('writes booleans as true/false for every column type', () => {
    const opts = { columns: [col('t', 'bool'), col('f', 'text'), col('j', 'json')] };
    expect(rows('{"t":true,"f":false,"j":true}\n', opts)).toEqual([['true', 'false', 'true']]);
  });

  it('decodes string escapes and marks chunks with escaped values as not clean', () => {
    const opts = { columns: [col('s'), col('j', 'json')] };
    expect(
      rows(
        '{"s":"tab\\there","j":"q\\"x"}\n{"s":"\\n\\r\\\\\\/\\b\\f\\u00e9\\ud83d\\ude00\\u0000"}\n{"s":"é✓😀"}\n',
        opts,
      ),
    ).toEqual([
      ['tab\there', '"q\\"x"'],
      ['\n\r\\/\b\f\u00e9\u{1f600}\u0000', null],
      ['é✓😀', null],
    ]);
    const one = { ...opts, chunkRows: 1 };
    expect(cleanFlags('{"s":"plain é✓"}\n{"s":"a\\tb"}\n{"s":"x"}\n{"s":"\\u0041"}\n{"\\u0073":"key"}\n', one)).toEqual(
      [true, false, true, false, false],
    );
    // A tab between tokens is JSON whitespace: it does not reach a value unless a json column keeps source text.
    expect(cleanFlags('{"s":\t"x"}\n{"j":\t{"a":\t1}}\n{"j":{"a":\t12345678901234567890}}\n', one)).toEqual([
      true,
      true,
      false,
    ]);
    // Rejects alone do not make a chunk unclean.
    expect(cleanFlags('nope\\t\n{"s":{"a":"\\t"}}\n', one)).toEqual([true, true]);
  });

  it('fails a line longer than maxRecordChars with its line number', () => {
    const opts = { ...textCols('a'), maxRecordChars: 10 };
    const p = new NdjsonParser(opts);
    p.push('{"a":"1"}\n\n{"a":');
    expect(() => p.push('"0123456')).toThrow(new NdjsonFormatError(3, 'a line longer than 10 characters'));
    const q = new NdjsonParser(opts);
    expect(() => q.push('{"a":"ok"}\n{"a":"this never ends')).toThrow(
      /^NDJSON line 2: a line longer than 10 characters$/,
    );
    // A remainder of exactly maxRecordChars is still fine.
    const r = new NdjsonParser(opts);
    r.push('{"a":"123"');
    r.push('}\n');
    r.end();
    expect(flatten(r.takeChunks())).toEqual([{ line: 1, fields: ['123'] }]);
  });

  it('cuts chunks at chunkRows records, counting rejects, and numbers records and lines across chunks', () => {
    const chunks = parseChunks('{"a":"1"}\n{"a":"2"}\n\nbad\n{"a":"4"}\n{"a":"5\\t"}\n{"a":"6"}\n', {
      ...textCols('a'),
      chunkRows: 2,
    });
    expect(chunks.map((c) => [c.firstRecord, c.recordCount, c.rows, c.lineNos, c.clean])).toEqual([
      [0, 2, [['1'], ['2']], [1, 2], true],
      [2, 2, [['4']], [5], true],
      [4, 2, [['5\t'], ['6']], [6, 7], false],
    ]);
    expect(chunks[1]!.rejects).toEqual([
      { recordNo: 2, lineNo: 4, raw: 'bad', reason: expect.stringMatching(/^not valid JSON: /) },
    ]);
    expect(() => new NdjsonParser({ ...textCols('a'), chunkRows: 0 })).toThrow();
  });

  // Multibyte characters (2-, 3- and 4-byte UTF-8), a BOM, CRLF, blank lines, escapes, a long number, a json
  // column, rejects of both kinds, and no final line break; chunks of 3 so that clean flags differ per chunk.
  const columns = [col('id', 'bigint'), col('name'), col('doc', 'json'), col('amount', 'numeric'), col('ok', 'bool')];
  const splitOpts = { columns, chunkRows: 3 };
  const tricky =
    '\uFEFF{"id":1,"name":"é✓😀","doc":{"k":["ü",1]},"amount":12345678901234567890.5}\r\n' +
    '\r\n' +
    '  \t\n' +
    '{"id":2,"name":"tab\\there \\u00e9 \\ud83d\\ude00","doc":"x","ok":true}\n' +
    'not json ✓\n' +
    '[1,"😀"]\n' +
    '{"id":3,"name":"ß","doc":null,"amount":-0.5,"ok":false}\r\n' +
    '{"id":4,"name":{"x":"é"}}\n' +
    '{"id":99999999999999999999,"doc":{"n":\t1.00000000000000000001},"amount":1e400}';

  const expected: Rec[] = [
    { line: 1, fields: ['1', 'é✓😀', '{"k":["ü",1]}', '12345678901234567890.5', null] },
    { line: 4, fields: ['2', 'tab\there é 😀', '"x"', null, 'true'] },
    { line: 5, reject: 'R', raw: 'not json ✓' },
    { line: 6, reject: 'expected a JSON object, found an array', raw: '[1,"😀"]' },
    { line: 7, fields: ['3', 'ß', null, '-0.5', 'false'] },
    { line: 8, reject: 'column name: expected a scalar, found an object', raw: '{"id":4,"name":{"x":"é"}}' },
    { line: 9, fields: ['99999999999999999999', null, '{"n":\t1.00000000000000000001}', '1e400', null] },
  ];

  it('parses the split-test input as documented', () => {
    const chunks = parseChunks(tricky, splitOpts);
    const recs = flatten(chunks);
    expect(recs[2]!.reject).toMatch(/^not valid JSON: /);
    expect(recs).toEqual(expected.map((e) => (e.reject === 'R' ? { ...e, reject: recs[2]!.reject } : e)));
    // Chunk 1 holds the escaped name; chunk 2 only rejects and clean values; chunk 3 a tab kept in json source.
    expect(chunks.map((c) => [c.firstRecord, c.recordCount, c.clean])).toEqual([
      [0, 3, false],
      [3, 3, true],
      [6, 1, false],
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
    expect(await readBytes([bytes], splitOpts)).toEqual(whole);
    for (let i = 0; i <= bytes.length; i++) {
      expect(await readBytes([bytes.subarray(0, i), bytes.subarray(i)], splitOpts)).toEqual(whole);
    }
    const oneByOne = Array.from({ length: bytes.length }, (_, k) => bytes.subarray(k, k + 1));
    expect(await readBytes(oneByOne, splitOpts)).toEqual(whole);
  });

  it('reads string pieces through the reader too', async () => {
    const source = (async function* () {
      yield tricky.slice(0, 50);
      yield tricky.slice(50);
    })();
    const chunks: RowChunk[] = [];
    for await (const c of new NdjsonReader(source, splitOpts)) chunks.push(c);
    expect(chunks).toEqual(parseChunks(tricky, splitOpts));
  });
});
