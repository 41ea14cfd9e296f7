import { JsonArrayScanner, JsonFormatError } from '../../../src/data/formats/json-array-scanner';
import { JsonParser } from '../../../src/data/formats/json-source';
import { parseJsonPath } from '../../../src/model/json-path';

/** The records' texts and lines, the text pushed in pieces cut at `cuts`. */
function scan(text: string, path = '', cuts: number[] = []): Array<[string, number]> {
  const out: Array<[string, number]> = [];
  const s = new JsonArrayScanner(parseJsonPath(path) ?? [], (t, line) => void out.push([t, line]), 1 << 20);
  let from = 0;
  for (const cut of [...cuts, text.length]) {
    s.push(text.slice(from, cut));
    from = cut;
  }
  s.end();
  return out;
}

const failure = (text: string, path = ''): JsonFormatError => {
  try {
    scan(text, path);
  } catch (err) {
    if (err instanceof JsonFormatError) return err;
    throw err;
  }
  throw new Error('no failure');
};

describe('JsonArrayScanner', () => {
  const doc =
    '\uFEFF{"meta": {"n": [1, 2.5e3, true, null, "x\\"]"]}, "data": {"skip": [{"a": 1}], "items": [\n' +
    '  {"id": 1, "s": "brace } and bracket ] and \\"quote\\" and \\\\"},\n' +
    '  {"id": 2, "nested": {"deep": [[{}], []]}},\n' +
    '  "not an object", 7, null,\n' +
    '  {"id": "é✓"}\n' +
    ']}, "after": [1, {"items": []}]}';

  it('finds the array at a path and hands out each element with its line', () => {
    expect(scan(doc, 'data.items')).toEqual([
      ['{"id": 1, "s": "brace } and bracket ] and \\"quote\\" and \\\\"}', 2],
      ['{"id": 2, "nested": {"deep": [[{}], []]}}', 3],
      ['"not an object"', 4],
      ['7', 4],
      ['null', 4],
      ['{"id": "é✓"}', 5],
    ]);
  });

  it('gives the same records for a split at every position (and at every pair of positions)', () => {
    const whole = scan(doc, 'data.items');
    for (let i = 0; i <= doc.length; i++) {
      expect(scan(doc, 'data.items', [i])).toEqual(whole);
      for (let j = i; j <= doc.length; j += 11) expect(scan(doc, 'data.items', [i, j])).toEqual(whole);
    }
  });

  it('reads an array at the top, an index step, and an empty array', () => {
    expect(scan(' [ {"a":1} , {"b":[2]} ] ')).toEqual([
      ['{"a":1}', 1],
      ['{"b":[2]}', 1],
    ]);
    expect(scan('{"results": [{"rows": [0]}, {"rows": [{"x": 1}]}]}', 'results[1].rows')).toEqual([['{"x": 1}', 1]]);
    expect(scan('[]')).toEqual([]);
    expect(scan('{"data": {"items": []}}', 'data.items')).toEqual([]);
  });

  it('fails with the byte offset when the file is truncated, at every cut of a document', () => {
    const text = '{"data": {"items": [{"id": 1, "name": "é"}, {"id": 2}]}}';
    for (let cut = 0; cut < text.length; cut++) {
      const err = failure(text.slice(0, cut), 'data.items');
      expect(err.message).toMatch(/^at byte \d+: /);
      expect(err.byteOffset).toBeLessThanOrEqual(Buffer.byteLength(text.slice(0, cut)));
    }
    expect(failure('[{"a": 1}, {"a": 2').message).toBe('at byte 11: the file ends inside a record: it is truncated');
    expect(failure('[{"a": 1}, ').message).toMatch(/at byte 11: the file ends inside the JSON document/);
  });

  it('fails on what is not JSON, on a missing or wrong path, and on text after the document', () => {
    expect(failure('').message).toMatch(/the file is empty/);
    expect(failure('id,name\n1,x\n').message).toMatch(/^at byte 0: unexpected "id"/);
    expect(failure('{"a": [1, 2]}', 'data').message).toMatch(/no array at records: "data"; check `records`/);
    expect(failure('{"data": {"x": 1}}', 'data').message).toMatch(
      /at byte 9: the value at records: "data" is an object/,
    );
    expect(failure('{"data": 5}', 'data').message).toMatch(/is not an array of records/);
    expect(failure('[{"a": 1}] [').message).toMatch(/at byte 11: unexpected text after the JSON document/);
    expect(failure('{"a" 1}', 'a').message).toMatch(/at byte 5: expected ":"/);
    expect(failure('[{"a": 1},]').message).toMatch(/at byte 10: unexpected "]"/);
    expect(failure('{"é": tru', 'x').message).toMatch(/at byte 7: the file ends inside a value/);
  });

  it('fails at the byte offset of a record that is not valid JSON', () => {
    const s = new JsonArrayScanner([], (t) => (t.includes('bad') ? 'nope' : undefined), 1000);
    expect(() => s.push('[{"é": 1},\n{"bad": tru}]')).toThrow('at byte 12: a record that is not valid JSON (nope)');
  });

  it('refuses a record longer than the limit instead of holding it', () => {
    const s = new JsonArrayScanner([], () => undefined, 100);
    expect(() => s.push(`[{"a": "${'x'.repeat(200)}`)).toThrow(/a record or value longer than 100 characters/);
  });
});

describe('JsonParser', () => {
  const columns = [
    { name: 'id', type: 'bigint' as const },
    { name: 'us_gross', type: 'numeric' as const, key: 'US Gross' },
    { name: 'tags', type: 'json' as const },
  ];

  it('takes columns by key, keeps long numbers exact, rejects what is not an object, and fails on bad JSON', () => {
    const p = new JsonParser({ records: ['items'], columns });
    p.push(
      '{"items": [\n{"id": 12345678901234567890, "US Gross": 1.10, "tags": {"a": [1,\n 2]}},\n' +
        '{"id": 2, "US Gross": null},\n"oops",\n{"id": 3, "tags": "x"}]}',
    );
    p.end();
    const [chunk] = p.takeChunks();
    expect(chunk?.rows).toEqual([
      ['12345678901234567890', '1.1', '{"a": [1,\n 2]}'],
      ['2', null, null],
      ['3', null, '"x"'],
    ]);
    expect(chunk?.lineNos).toEqual([2, 4, 6]);
    expect(chunk?.clean).toBe(false);
    expect(chunk?.rejects).toEqual([
      { recordNo: 2, lineNo: 5, raw: '"oops"', reason: 'expected a JSON object, found a string' },
    ]);
    const bad = new JsonParser({ records: [], columns });
    expect(() => bad.push('[{"id": 1}, {"id": 01}]')).toThrow(/at byte 12: a record that is not valid JSON/);
  });
});
