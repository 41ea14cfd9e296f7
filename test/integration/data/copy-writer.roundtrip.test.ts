import { withClient, withTransaction } from '../../../src/platform/db/pools';
import type { FieldValue } from '../../../src/model/columns/columns';
import { copyRows, openCopy } from '../../../src/data/load/copy-writer';
import { createScratch, type Scratch } from './pg-scratch';

let s: Scratch;
beforeAll(async () => {
  s = await createScratch('copy');
  await s.registry.getPool().query(`CREATE TABLE ${s.schema}.t (id int, v text, n numeric, j jsonb)`);
});
afterAll(() => s.drop());

const awkward: FieldValue[][] = [
  ['1', 'tab\there', '1.5', '{"a":"b\\tc"}'],
  ['2', 'back\\slash \\N \\.', null, null],
  ['3', 'line\nbreak\r\nand\rcr', '-0.000001', '[]'],
  ['4', 'unicode é ✓ 😀 中文', '1e3', '"\\u00e9"'],
  ['5', '', '0', 'null'],
  ['6', null, null, null],
  ['7', '\\.', null, null],
  ['8', ',;"\'', '123456789012345678901234567890.123', '{}'],
];

/** How jsonb prints these small documents: a space after `,` and `:`. */
const jsonbText = (j: string) => JSON.stringify(JSON.parse(j)).replace(/,/g, ', ').replace(/:/g, ': ');

describe('COPY writer', () => {
  it('round-trips awkward values exactly', async () => {
    const pool = s.registry.getPool();
    const stored = await withTransaction(pool, (c) =>
      copyRows(
        c,
        `${s.schema}.t`,
        ['id', 'v', 'n', 'j'],
        (async function* () {
          yield { rows: awkward.slice(0, 3), clean: false };
          yield { rows: awkward.slice(3), clean: false };
        })(),
      ),
    );
    expect(stored).toBe(awkward.length);
    const { rows } = await pool.query(`SELECT id::text, v, n::text, j::text FROM ${s.schema}.t ORDER BY id`);
    expect(rows.map((r) => [r.id, r.v, r.n, r.j])).toEqual(
      awkward.map(([id, v, n, j]) => [id, v, n === '1e3' ? '1000' : n, j == null ? null : jsonbText(j)]),
    );
  });

  it('writes large volumes with backpressure and counts rows', async () => {
    const pool = s.registry.getPool();
    await pool.query(`CREATE TABLE ${s.schema}.big (id int, v text)`);
    const source = (async function* () {
      for (let b = 0; b < 50; b++)
        yield { rows: Array.from({ length: 2000 }, (_, i) => [String(b * 2000 + i), 'x'.repeat(100)]), clean: true };
    })();
    const stored = await withClient(pool, (c) => copyRows(c, `${s.schema}.big`, ['id', 'v'], source));
    expect(stored).toBe(100_000);
    const { rows } = await pool.query(`SELECT count(DISTINCT id)::int n FROM ${s.schema}.big`);
    expect(rows[0].n).toBe(100_000);
  });

  it('surfaces a value Postgres refuses and leaves nothing behind', async () => {
    const pool = s.registry.getPool();
    await pool.query(`CREATE TABLE ${s.schema}.strict (id int)`);
    await expect(
      withTransaction(pool, (c) =>
        copyRows(
          c,
          `${s.schema}.strict`,
          ['id'],
          (async function* () {
            yield { rows: [['1'], ['not a number']], clean: true };
          })(),
        ),
      ),
    ).rejects.toThrow(/invalid input syntax for type integer/);
    const { rows } = await pool.query(`SELECT count(*)::int n FROM ${s.schema}.strict`);
    expect(rows[0].n).toBe(0);
  });

  it('aborts a COPY so that none of its rows are stored and the client stays usable', async () => {
    const pool = s.registry.getPool();
    await pool.query(`CREATE TABLE ${s.schema}.aborted (id int)`);
    await withClient(pool, async (c) => {
      const copy = openCopy(c, `${s.schema}.aborted`, ['id']);
      await copy.write([['1'], ['2']], true);
      await copy.abort(new Error('cancelled by the test'));
      const { rows } = await c.query(`SELECT count(*)::int n FROM ${s.schema}.aborted`);
      expect(rows[0].n).toBe(0);
    });
  });

  it('refuses unsafe table and column names before sending anything', () => {
    expect(() => openCopy({} as never, `${s.schema}.t; DROP TABLE x`, ['id'])).toThrow(/invalid table name/);
    expect(() => openCopy({} as never, `${s.schema}.t`, ["id) FROM PROGRAM 'rm' --"])).toThrow(/invalid column name/);
  });
});
