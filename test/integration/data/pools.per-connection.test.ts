import { createPools, withClient, withTransaction } from '../../../src/platform/db/pools';

const url = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const registry = createPools({ defaultUrl: url });
const schema = `pwt_pools_${process.pid}`;

afterAll(async () => {
  await registry.getPool().query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await registry.closeAll();
});

describe('pool registry', () => {
  it('shares one pool per connection string', () => {
    expect(registry.getPool()).toBe(registry.getPool(url));
    expect(registry.getPool(`${url}?application_name=other`)).not.toBe(registry.getPool());
  });

  it('commits a transaction, rolls back a failed one and releases clients', async () => {
    const pool = registry.getPool();
    await pool.query(`CREATE SCHEMA ${schema}; CREATE TABLE ${schema}.t (v int)`);
    await withTransaction(pool, (c) => c.query(`INSERT INTO ${schema}.t VALUES (1)`));
    await expect(
      withTransaction(pool, async (c) => {
        await c.query(`INSERT INTO ${schema}.t VALUES (2)`);
        throw new Error('boom');
      }),
    ).rejects.toThrow('boom');
    const { rows } = await withClient(pool, (c) => c.query(`SELECT array_agg(v) AS vs FROM ${schema}.t`));
    expect(rows[0].vs).toEqual([1]);
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('closes every pool and creates fresh ones afterwards', async () => {
    const first = registry.getPool();
    await registry.closeAll();
    expect(first.ended).toBe(true);
    expect(registry.getPool()).not.toBe(first);
  });
});
