import { emptyChunk, rowRecordNos, splitChunk, type RowChunk } from '../../../src/data/rows/batch';
import { encodeCopyText, encodeNumberedCopyText, escapeCopyValue } from '../../../src/data/formats/copy-text';

describe('COPY text encoding', () => {
  it('escapes backslash, tab, LF and CR and writes NULL as \\N', () => {
    expect(escapeCopyValue('a\\b\tc\nd\re')).toBe('a\\\\b\\tc\\nd\\re');
    expect(escapeCopyValue('\\.')).toBe('\\\\.');
    expect(escapeCopyValue(null)).toBe('\\N');
    expect(
      encodeCopyText(
        [
          ['a\tb', null, ''],
          ['x', 'y', 'z'],
        ],
        false,
      ),
    ).toBe('a\\tb\t\\N\t\nx\ty\tz\n');
  });

  it('skips escaping for clean rows but still writes NULL', () => {
    expect(
      encodeCopyText(
        [
          ['a', 'b'],
          [null, 'c'],
        ],
        true,
      ),
    ).toBe('a\tb\n\\N\tc\n');
    expect(encodeCopyText([], true)).toBe('');
  });

  it("puts each row's record and line number in front, escaping as the rows need", () => {
    const rows = [
      ['a\tb', null],
      ['x', 'y'],
    ];
    expect(encodeNumberedCopyText(rows, false, [4, 7], [5, 9])).toBe('4\t5\ta\\tb\t\\N\n7\t9\tx\ty\n');
    expect(encodeNumberedCopyText([['x', 'y']], true, [0], [2])).toBe('0\t2\tx\ty\n');
    expect(encodeNumberedCopyText([], true, [], [])).toBe('');
  });
});

describe('chunks', () => {
  const chunk: RowChunk = {
    firstRecord: 10,
    recordCount: 5,
    rows: [['a'], ['b'], ['d']],
    lineNos: [11, 12, 15],
    rejects: [
      { recordNo: 12, lineNo: 13, raw: 'c', reason: 'r1' },
      { recordNo: 14, lineNo: 16, raw: 'e', reason: 'r2' },
    ],
    clean: true,
  };

  it('numbers rows around rejects', () => {
    expect(rowRecordNos(chunk)).toEqual([10, 11, 13]);
  });

  it('splits at a record number', () => {
    const [a, b] = splitChunk(chunk, 13);
    expect([a.firstRecord, a.recordCount, a.rows, a.rejects.length]).toEqual([10, 3, [['a'], ['b']], 1]);
    expect([b.firstRecord, b.recordCount, b.rows, b.lineNos, b.rejects.map((r) => r.recordNo)]).toEqual([
      13,
      2,
      [['d']],
      [15],
      [14],
    ]);
    expect(splitChunk(chunk, 100)[0]).toBe(chunk);
    expect(splitChunk(chunk, 0)[1]).toBe(chunk);
    expect(emptyChunk(3).recordCount).toBe(0);
  });
});
