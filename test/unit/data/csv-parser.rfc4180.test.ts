import { CsvParser } from '../../../src/data/formats/csv-parser';
import type { CsvOptionsInput } from '../../../src/data/formats/csv-options';
import { CsvReader } from '../../../src/data/formats/csv-source';
import type { RowChunk } from '../../../src/data/rows/batch';

type Rec = { line: number; fields?: readonly (string | null)[]; reject?: string };

function flatten(chunks: RowChunk[]): Rec[] {
  const out: { no: number; rec: Rec }[] = [];
  for (const c of chunks) {
    let r = 0;
    let ord = c.firstRecord;
    c.rows.forEach((fields, i) => {
      while (c.rejects[r]?.recordNo === ord) {
        out.push({ no: ord++, rec: { line: c.rejects[r]!.lineNo, reject: c.rejects[r]!.reason } });
        r++;
      }
      out.push({ no: ord++, rec: { line: c.lineNos[i]!, fields } });
    });
    for (; r < c.rejects.length; r++)
      out.push({ no: c.rejects[r]!.recordNo, rec: { line: c.rejects[r]!.lineNo, reject: c.rejects[r]!.reason } });
  }
  out.forEach((o, i) => expect(o.no).toBe(i));
  return out.map((o) => o.rec);
}

/** Parses `text` pushed in pieces cut at `cuts`. */
function parse(text: string, opts: CsvOptionsInput = {}, cuts: number[] = []): { header?: string[]; recs: Rec[] } {
  const p = new CsvParser({ header: false, ...opts });
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    p.push(text.slice(from, cut));
    from = cut;
  }
  p.end();
  return { header: p.header, recs: flatten(p.takeChunks()) };
}

const rows = (text: string, opts?: CsvOptionsInput) => parse(text, opts).recs.map((r) => r.fields ?? r.reject);

describe('CsvParser (RFC 4180)', () => {
  it('reads plain records with and without a final line break', () => {
    expect(rows('a,b,c\n1,2,3\n')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
    expect(rows('a,b,c\n1,2,3')).toEqual([
      ['a', 'b', 'c'],
      ['1', '2', '3'],
    ]);
  });

  it('reads quoted fields with delimiters, doubled quotes and line breaks', () => {
    expect(rows('"a,b","say ""hi""","x\ny","p\r\nq","r\rs"\n')).toEqual([
      ['a,b', 'say "hi"', 'x\ny', 'p\r\nq', 'r\rs'],
    ]);
  });

  it('keeps empty fields, quoted empty fields and trailing delimiters', () => {
    expect(rows(',,\n"",x,\n', { nulls: 'none' })).toEqual([
      ['', '', ''],
      ['', 'x', ''],
    ]);
  });

  describe('NULL and the empty string (nulls)', () => {
    const text = 'a,,"",\n"",x,\n,"q",""\n';
    it('unquoted-empty (the default, as COPY CSV reads): an unquoted empty field is NULL, "" the empty string', () => {
      expect(rows(text)).toEqual([
        ['a', null, '', null],
        ['', 'x', null],
        [null, 'q', ''],
      ]);
      expect(rows(text, { nulls: 'unquoted-empty' })).toEqual(rows(text));
    });
    it('empty: every empty field is NULL, quoted or not; none: no NULLs', () => {
      expect(rows(text, { nulls: 'empty' })).toEqual([
        ['a', null, null, null],
        [null, 'x', null],
        [null, 'q', null],
      ]);
      expect(rows(text, { nulls: 'none' })).toEqual([
        ['a', '', '', ''],
        ['', 'x', ''],
        ['', 'q', ''],
      ]);
    });
    it('a one-field record: an empty unquoted line is NULL when blank lines are kept, "" is the empty string', () => {
      expect(rows('a\n\n""\n', { skipEmptyLines: false })).toEqual([['a'], [null], ['']]);
    });
    it('a quoted field that is not empty stays text, even of spaces; NULL is only the empty field', () => {
      expect(rows(' ,"  ", \n')).toEqual([[' ', '  ', ' ']]);
    });
    it('header names are never NULL', () => {
      expect(parse('a,,""\n1,2,3\n', { header: true }).header).toEqual(['a', '', '']);
    });
    it('gives the same NULLs and empty strings for a split at every position, in every mode', () => {
      const input = 'h1,h2,h3\r\n,"",\r\n"","",""\r\n,,\r\n"x",,"y"\r\n,"a\n",\n"",b,';
      for (const nulls of ['unquoted-empty', 'empty', 'none'] as const) {
        const whole = parse(input, { header: true, nulls });
        for (let i = 0; i <= input.length; i++) {
          expect(parse(input, { header: true, nulls }, [i])).toEqual(whole);
          for (let j = i; j <= input.length; j += 3)
            expect(parse(input, { header: true, nulls }, [i, j])).toEqual(whole);
        }
      }
      expect(parse(input, { header: true }).recs.map((r) => r.fields)).toEqual([
        [null, '', null],
        ['', '', ''],
        [null, null, null],
        ['x', null, 'y'],
        [null, 'a\n', null],
        ['', 'b', null],
      ]);
    });
    it('across chunks of chunkRows records, and through the byte reader', async () => {
      const input = 'h\n' + Array.from({ length: 10 }, (_, i) => (i % 2 ? '""' : '')).join('\n') + '\n';
      const p = new CsvParser({ header: true, chunkRows: 3, skipEmptyLines: false });
      p.push(input);
      p.end();
      const chunks = p.takeChunks();
      expect(chunks.map((c) => c.rows.length)).toEqual([3, 3, 3, 1]);
      expect(chunks.flatMap((c) => c.rows.map((r) => r[0]))).toEqual([
        null,
        '',
        null,
        '',
        null,
        '',
        null,
        '',
        null,
        '',
      ]);
      const bytes = Buffer.from(input);
      for (let i = 0; i <= bytes.length; i++) {
        const source = (async function* () {
          yield bytes.subarray(0, i);
          yield bytes.subarray(i);
        })();
        const got: RowChunk[] = [];
        for await (const c of new CsvReader(source, { header: true, chunkRows: 3, skipEmptyLines: false })) got.push(c);
        expect(flatten(got)).toEqual(flatten(chunks));
      }
    });
  });

  it('accepts LF, CRLF and CR line endings', () => {
    expect(rows('a\r\nb\rc\nd')).toEqual([['a'], ['b'], ['c'], ['d']]);
  });

  it('strips a BOM and takes the header record', () => {
    const { header, recs } = parse('\uFEFFid,name\r\n1,x\r\n', { header: true });
    expect(header).toEqual(['id', 'name']);
    expect(recs).toEqual([{ line: 2, fields: ['1', 'x'] }]);
  });

  it('supports another delimiter and quote', () => {
    expect(rows("a;'b;c';'it''s'\n", { delimiter: ';', quote: "'" })).toEqual([['a', 'b;c', "it's"]]);
    expect(rows('a\t"b\tc"\n', { delimiter: '\t' })).toEqual([['a', 'b\tc']]);
  });

  it('skips blank lines by default but counts them in line numbers', () => {
    expect(parse('a\n\n\r\nb\n"x\ny"\nc\n').recs).toEqual([
      { line: 1, fields: ['a'] },
      { line: 4, fields: ['b'] },
      { line: 5, fields: ['x\ny'] },
      { line: 7, fields: ['c'] },
    ]);
    expect(rows('a\n\nb', { skipEmptyLines: false })).toEqual([['a'], [null], ['b']]);
  });

  it('keeps a quote inside an unquoted field literally', () => {
    expect(rows('ab"c,d\n')).toEqual([['ab"c', 'd']]);
  });

  it('rejects text after a closing quote and an unterminated quote, with line numbers', () => {
    expect(parse('ok\n"ab"c,d\nnext\n"open,\nrest\n').recs).toEqual([
      { line: 1, fields: ['ok'] },
      { line: 2, reject: 'unexpected text after the closing quote of field 1' },
      { line: 3, fields: ['next'] },
      { line: 4, reject: 'unterminated quoted field' },
    ]);
  });

  it('refuses a record longer than maxRecordChars', () => {
    const p = new CsvParser({ header: false, maxRecordChars: 10 });
    expect(() => p.push('"this field never ends')).toThrow(/CSV line 1: a record longer than 10 characters/);
  });

  it('marks chunks whose values need COPY escaping as not clean', () => {
    const clean = (t: string) => {
      const p = new CsvParser({ header: false });
      p.push(t);
      p.end();
      return p.takeChunks().map((c) => c.clean);
    };
    expect(clean('a,b\nc,d\n')).toEqual([true]);
    expect(clean('a\\b,c\n')).toEqual([false]);
    expect(clean('a\tb,c\n')).toEqual([false]);
    expect(clean('"a",b\n')).toEqual([false]);
  });

  it('cuts chunks at chunkRows records and numbers records across chunks', () => {
    const p = new CsvParser({ header: false, chunkRows: 2 });
    p.push('1\n2\n"3\n4\n5\n');
    p.end();
    const chunks = p.takeChunks();
    expect(chunks.map((c) => [c.firstRecord, c.recordCount])).toEqual([
      [0, 2],
      [2, 1],
    ]);
    expect(chunks[1]!.rejects[0]).toMatchObject({ recordNo: 2, lineNo: 3, reason: 'unterminated quoted field' });
  });

  const tricky =
    '\uFEFFh1,h2,h3\r\n' +
    'plain,"quoted, comma","say ""hi"""\r\n' +
    '"multi\r\nline","x\ny",\r\n' +
    '\r\n' +
    'é✓,"",last\r' +
    '"end""",b,"c"\n' +
    'no,final,break';

  it('gives the same result for a split at every position of a tricky input', () => {
    const whole = parse(tricky, { header: true });
    expect(whole.header).toEqual(['h1', 'h2', 'h3']);
    expect(whole.recs).toEqual([
      { line: 2, fields: ['plain', 'quoted, comma', 'say "hi"'] },
      { line: 3, fields: ['multi\r\nline', 'x\ny', null] },
      { line: 7, fields: ['é✓', '', 'last'] },
      { line: 8, fields: ['end"', 'b', 'c'] },
      { line: 9, fields: ['no', 'final', 'break'] },
    ]);
    for (let i = 0; i <= tricky.length; i++) {
      expect(parse(tricky, { header: true }, [i])).toEqual(whole);
      for (let j = i; j <= tricky.length; j += 7) expect(parse(tricky, { header: true }, [i, j])).toEqual(whole);
    }
  });

  it('decodes bytes with a multi-byte character split across chunks', async () => {
    const bytes = Buffer.from(tricky, 'utf8');
    const expected = parse(tricky, { header: true }).recs;
    for (let i = 0; i <= bytes.length; i++) {
      const source = (async function* () {
        yield bytes.subarray(0, i);
        yield bytes.subarray(i);
      })();
      const reader = new CsvReader(source, { header: true });
      const chunks: RowChunk[] = [];
      for await (const c of reader) chunks.push(c);
      expect(reader.header).toEqual(['h1', 'h2', 'h3']);
      expect(flatten(chunks)).toEqual(expected);
    }
  });
});
