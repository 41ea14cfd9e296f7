/**
 * `partitionBy` of `source.postgres`: the key ranges of a query, each read through its own cursor, hold every row of
 * the query exactly once (count and checksum against the table), for integer, bigint, numeric, date and timestamp
 * keys with gaps, skew and NULLs, and when there are more parts than distinct keys.
 */
import { createTestData, type TestData } from '../../helpers/data';
import { tableChecksum } from '../../helpers/table-checksum';
import { openKeyRange, planKeyRanges, type KeyRangeQuery } from '../../../src/data/partitions/key-ranges';
import { NodeSqlError } from '../../../src/data/errors';

const COLUMNS = ['id', 'big', 'amount', 'day', 'at', 'ts', 'label'];
const ROWS = 50_000;

let data: TestData;
let src: string;

beforeAll(async () => {
  data = await createTestData('keyranges');
  src = `${data.schema}.src`;
  // Keys with gaps and skew: 90% of the ids in the first 1% of their span, the rest spread far above; squares for
  // timestamps; repeated dates; NULLs in some columns.
  await data.pool.query(`
    CREATE TABLE ${src} (id integer, big bigint, amount numeric(14,3), day date, at timestamp, ts timestamptz, label text);
    INSERT INTO ${src}
    SELECT CASE WHEN g % 211 = 0 THEN NULL WHEN g < 45000 THEN g * 3 ELSE 10000000 + g * 1000 END,
           (g::bigint * g) % 1000000007 * 1000000 - 500000000000000,
           CASE WHEN g % 101 = 0 THEN NULL ELSE round((g % 977) * 1.5 + (g / 1000.0) ^ 4, 3) END,
           date '2020-01-01' + (g % 1500) * (g % 3),
           timestamp '2021-01-01' + (g ^ 1.7) * interval '1 second',
           CASE WHEN g % 157 = 0 THEN NULL ELSE timestamptz '2022-06-01 00:00:00+00' + (g::bigint * g) * interval '1 ms' END,
           md5(g::text) || CASE WHEN g % 13 = 0 THEN E'\\ttab' WHEN g % 17 = 0 THEN '' ELSE '' END
    FROM generate_series(1, ${ROWS}) AS g;
    ANALYZE ${src};`);
});
afterAll(() => data.drop());

/** Reads every range of `q` into a new table shaped like the source; returns it and the rows each range read. */
async function readRanges(name: string, q: KeyRangeQuery, parts: number) {
  const plan = await planKeyRanges(data.services.pool(), { ...q, parts });
  const out = `${data.schema}.${name}`;
  await data.pool.query(`CREATE TABLE ${out} (LIKE ${src})`);
  const counts: number[] = [];
  for (const range of plan.ranges) {
    const source = await openKeyRange(data.services.pool(), { ...q, fetchRows: 4000 }, range);
    let n = 0;
    try {
      const names = source.columns.map((c) => c.name);
      for await (const chunk of source.chunks) {
        const objects = chunk.rows.map((r) => Object.fromEntries(names.map((c, i) => [c, r[i]])));
        await data.pool.query(`INSERT INTO ${out} SELECT * FROM json_populate_recordset(NULL::${out}, $1::json)`, [
          JSON.stringify(objects),
        ]);
        n += chunk.rows.length;
      }
    } finally {
      await source.close();
    }
    counts.push(n);
  }
  return { plan, out, counts };
}

const query = (column: string): KeyRangeQuery => ({
  nodeId: 'extract',
  query: `SELECT * FROM ${src} WHERE label <> $1 ORDER BY ${column} -- a trailing comment\n;`,
  params: ['not a label'],
  column,
});

describe('key ranges of a query with gaps, skew and NULL keys', () => {
  it.each([
    ['id', 8],
    ['big', 5],
    ['amount', 6],
    ['day', 4],
    ['at', 5],
    ['ts', 7],
  ])('ranges of %s (%i parts) hold every row once', async (column, parts) => {
    const { plan, out, counts } = await readRanges(`by_${column}`, query(column), parts);
    const nulls = Number(
      (await data.rows<{ n: string }>(`SELECT count(*) AS n FROM ${src} WHERE ${column} IS NULL`))[0]?.n,
    );
    const cut = plan.ranges.filter((r) => !r.nulls);
    expect(cut).toHaveLength(parts);
    // Open at both ends, each range starting where the one before ends.
    expect(cut[0]?.from).toBeUndefined();
    expect(cut.at(-1)?.to).toBeUndefined();
    cut.slice(1).forEach((r, i) => expect(r.from).toBe(cut[i]?.to));
    // A NULL range of its own exactly when there are NULL keys, and it reads exactly them.
    const nullRange = plan.ranges.findIndex((r) => r.nulls);
    expect(nullRange >= 0).toBe(nulls > 0);
    if (nulls > 0) expect(counts[nullRange]).toBe(nulls);
    // Skewed keys: the ranges are not all empty but one.
    expect(counts.filter((n) => n > 0).length).toBeGreaterThan(1);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(ROWS);
    const expected = await tableChecksum(data.pool, src, COLUMNS);
    const got = await tableChecksum(data.pool, out, COLUMNS);
    expect(got).toEqual(expected);
    expect(expected.count).toBe(ROWS);
  });

  it('names each range by its bounds, open at both ends', async () => {
    const plan = await planKeyRanges(data.services.pool(), { ...query('id'), parts: 3 });
    expect(plan.keyType).toBe('integer');
    expect(plan.min).toBe('3');
    expect(plan.max).toBe('60000000');
    expect(plan.ranges.map((r) => r.name)).toEqual([
      'id < 20000002',
      'id in [20000002, 40000001)',
      'id >= 40000001',
      'id is NULL',
    ]);
  });
});

describe('more parts than distinct keys', () => {
  beforeAll(async () => {
    await data.pool.query(`
      CREATE TABLE ${data.schema}.few AS
      SELECT * FROM ${src} WHERE id IS NULL OR id IN (3, 6, 9);
      UPDATE ${data.schema}.few SET ts = CASE WHEN id = 3 THEN timestamptz '2024-01-01 00:00:00+00'
                                              WHEN id IS NOT NULL THEN timestamptz '2024-01-01 00:00:00.000002+00' END`);
  });

  it.each([
    ['id', 20],
    ['ts', 10],
  ])('ranges of %s (%i parts) hold every row once, and empty ranges are merged', async (column, parts) => {
    const q = { ...query(column), query: `SELECT * FROM ${data.schema}.few`, params: [] };
    const { plan, out, counts } = await readRanges(`few_${column}`, q, parts);
    // Integers 3..9 are 7 values, microseconds 0..2 are 3: at most that many ranges, plus the NULL one.
    expect(plan.ranges.filter((r) => !r.nulls).length).toBe(column === 'id' ? 7 : 3);
    expect(plan.ranges.at(-1)?.nulls).toBe(true);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(await count(`${data.schema}.few`));
    expect(await tableChecksum(data.pool, out, COLUMNS)).toEqual(
      await tableChecksum(data.pool, `${data.schema}.few`, COLUMNS),
    );
  });

  it('one distinct key, or an empty result, is one range of every row', async () => {
    const one = await planKeyRanges(data.services.pool(), {
      ...query('id'),
      query: `SELECT * FROM ${src} WHERE id = 3 OR id IS NULL`,
      params: [],
      parts: 4,
    });
    expect(one.ranges).toEqual([{ kind: 'key-range', name: 'all rows', index: 0 }]);
    const none = await planKeyRanges(data.services.pool(), {
      ...query('id'),
      query: `SELECT * FROM ${src} WHERE false`,
      params: [],
      parts: 4,
    });
    expect(none).toMatchObject({ min: null, max: null, ranges: [{ name: 'all rows' }] });
  });
});

describe('a key the ranges cannot use', () => {
  it('a text column fails naming the node, the column and the types that work', async () => {
    const plan = planKeyRanges(data.services.pool(), { ...query('label'), parts: 4 });
    await expect(plan).rejects.toThrow(NodeSqlError);
    await expect(planKeyRanges(data.services.pool(), { ...query('label'), parts: 4 })).rejects.toThrow(
      /node "extract": partitionBy.column "label" is of type text; key ranges need integer/,
    );
  });

  it('an infinite key fails saying to filter it out', async () => {
    const q = {
      ...query('t'),
      query: `SELECT * FROM (VALUES (timestamp '2020-01-01'), (timestamp 'infinity')) AS v(t)`,
      params: [],
    };
    await expect(planKeyRanges(data.services.pool(), { ...q, parts: 3 })).rejects.toThrow(
      /node "extract": partitionBy.column "t" holds infinity; key ranges need finite keys/,
    );
  });

  it('a column the query does not return fails naming it', async () => {
    await expect(planKeyRanges(data.services.pool(), { ...query('id'), column: 'nope', parts: 4 })).rejects.toThrow(
      /node "extract": partitionBy.column "nope": .*column pw_q.nope does not exist/,
    );
  });
});

async function count(table: string): Promise<number> {
  return Number((await data.rows<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]?.n);
}
