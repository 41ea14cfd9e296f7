/**
 * A scratch schema per test file: created (with the project tables migrated into it) and dropped again.
 */
import { randomBytes } from 'node:crypto';
import { migrate } from '../../../src/platform/db/migrate';
import { createPools, type Pools } from '../../../src/platform/db/pools';

export interface Scratch {
  readonly registry: Pools;
  readonly schema: string;
  drop(): Promise<void>;
}

/** Creates schema `pwt_<prefix>_<random>` with the ledger and rejects tables in it. */
export async function createScratch(prefix: string): Promise<Scratch> {
  const registry = createPools({ defaultUrl: process.env.DATABASE_URL, max: 6 });
  const schema = `pwt_${prefix}_${randomBytes(4).toString('hex')}`;
  await migrate(registry.getPool(), { schema });
  return {
    registry,
    schema,
    async drop() {
      await registry.getPool().query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await registry.closeAll();
    },
  };
}
