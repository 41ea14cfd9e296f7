/** `split` of source.csv and `partitionBy` of source.postgres: what the params schemas accept and refuse. */
import { SourceCsvParams } from '../../../src/model/nodes/source-csv';
import { SourcePostgresParams } from '../../../src/model/nodes/source-postgres';
import { parseByteSize } from '../../../src/model/byte-size';

const problems = (r: { success: boolean; error?: { issues: Array<{ path: PropertyKey[]; message: string }> } }) =>
  r.success ? [] : (r.error?.issues ?? []).map((i) => `${i.path.join('.')}: ${i.message}`);

describe('source.csv split', () => {
  const csv = (split: unknown, extra: Record<string, unknown> = {}) =>
    problems(SourceCsvParams.safeParse({ path: 'a.csv', split, ...extra }));

  it('takes a number of parts or a part size', () => {
    expect(csv({ parts: 8 })).toEqual([]);
    expect(csv({ partSize: '64MB' })).toEqual([]);
    expect(csv({ partSize: 1_000_000 })).toEqual([]);
    expect(SourceCsvParams.parse({ path: 'a.csv' }).split).toBeUndefined();
  });

  it('refuses fewer than one part, both forms at once, neither, and a size that is not one', () => {
    expect(csv({ parts: 0 })).toEqual(['split.parts: parts must be at least 1']);
    expect(csv({ parts: 2.5 })).toHaveLength(1);
    expect(csv({ parts: 4, partSize: '1MB' })).toEqual([
      'split: split takes either parts (a number) or partSize (a size such as "64MB"), not both',
    ]);
    expect(csv({})).toHaveLength(1);
    expect(csv({ partSize: 'big' })[0]).toMatch(/^split.partSize: expected a size/);
    expect(csv({ partSize: 0 })[0]).toMatch(/^split.partSize: expected a size/);
    expect(csv({ parts: 2, lines: 3 })[0]).toMatch(/Unrecognized key/);
  });

  it('refuses split with a glob path', () => {
    expect(problems(SourceCsvParams.safeParse({ path: 'data/*.csv', split: { parts: 2 } }))).toEqual([
      'split: split reads one file in parts; a glob path already reads one partition per file: remove split, or name one file',
    ]);
  });

  it('needs an ASCII quote and delimiter', () => {
    expect(csv({ parts: 2 }, { delimiter: '§' })).toEqual([
      'split: split needs an ASCII delimiter and quote (the split scans the file for them byte by byte)',
    ]);
    expect(csv(undefined, { delimiter: '§' })).toEqual([]);
  });
});

describe('source.postgres partitionBy', () => {
  const pg = (partitionBy: unknown) => problems(SourcePostgresParams.safeParse({ query: 'SELECT 1', partitionBy }));

  it('takes a column and a number of parts', () => {
    expect(pg({ column: 'order_id', parts: 16 })).toEqual([]);
  });

  it('refuses a column that is not an identifier and fewer than one part', () => {
    expect(pg({ column: 'id; drop table x', parts: 2 })[0]).toMatch(/^partitionBy.column: invalid column name/);
    expect(pg({ column: 'id', parts: 0 })).toEqual(['partitionBy.parts: parts must be at least 1']);
    expect(pg({ column: 'id' })).toHaveLength(1);
    expect(pg({ parts: 2 })).toHaveLength(1);
  });
});

describe('sizes', () => {
  it.each([
    [1, 1],
    ['512', 512],
    ['512B', 512],
    ['16kB', 16 * 1024],
    ['64MB', 64 * 1024 ** 2],
    ['64 mib', 64 * 1024 ** 2],
    ['1.5GB', 1.5 * 1024 ** 3],
    ['2TB', 2 * 1024 ** 4],
  ])('%p is %i bytes', (text, bytes) => expect(parseByteSize(text)).toBe(bytes));

  it.each([0, -1, 1.5, '', 'MB', '64 XB', '-1MB', '0.1B'])('%p is not a size', (text) =>
    expect(parseByteSize(text)).toBeUndefined(),
  );
});
