import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { migrate, MigrationError, readMigrations } from '../../../src/platform/db/migrate';
import { createPools } from '../../../src/platform/db/pools';

const registry = createPools({ defaultUrl: process.env.DATABASE_URL });
const pool = registry.getPool();
const schema = `pwt_migrate_${process.pid}`;

afterAll(async () => {
  await pool.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  await registry.closeAll();
});

describe('migrate', () => {
  it('applies every migration once, also when several processes start together', async () => {
    const results = await Promise.all([1, 2, 3].map(() => migrate(pool, { schema })));
    const all = readMigrations().map((m) => `${m.version}_${m.name}`);
    expect(results.flatMap((r) => r.applied).sort()).toEqual(all);
    const again = await migrate(pool, { schema });
    expect(again).toEqual({ applied: [], alreadyApplied: all.length });
    const { rows } = await pool.query(`SELECT version FROM ${schema}.schema_migrations ORDER BY version`);
    expect(rows.map((r) => r.version)).toEqual(readMigrations().map((m) => m.version));
    const tables = await pool.query(
      `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 ORDER BY 1`,
      [schema],
    );
    expect(tables.rows.map((r) => r.table_name)).toEqual([
      'definitions',
      'ledger_pruned',
      'load_ledger',
      'memo_entries',
      'notifications_sent',
      'partition_plans',
      'rejects',
      'schema_migrations',
      'staging_tables',
    ]);
  });

  it('refuses a migration changed after it was applied', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-mig-'));
    try {
      for (const m of readMigrations())
        fs.writeFileSync(
          path.join(dir, `${String(m.version).padStart(3, '0')}_${m.name}.sql`),
          `${m.sql}\n-- edited\n`,
        );
      await expect(migrate(pool, { schema, dir })).rejects.toThrow(MigrationError);
      await expect(migrate(pool, { schema, dir })).rejects.toThrow(/changed after it was applied/);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses an invalid schema name', async () => {
    await expect(migrate(pool, { schema: 'x"; DROP SCHEMA public; --' })).rejects.toThrow(/invalid schema name/);
  });
});
