/**
 * Per-test-file Postgres for data pipelines: data services whose project and staging schemas are the test's own
 * (`pwt_<prefix>_<random>` and `..._stg`), a pool for assertions, and a drop of both schemas at the end.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import type { TwoLevelCache } from '../../src/platform/cache';
import { createDataServices, type DataServices } from '../../src/data/services';
import { createWorkerFunctions, type FunctionRegistryInput } from '../../src/data/functions';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';

export interface TestData {
  readonly services: DataServices;
  /** The test's own schema: project tables live here, and tests create their target tables here too. */
  readonly schema: string;
  readonly stagingSchema: string;
  readonly pool: pg.Pool;
  /** Rows of a query, as objects. */
  rows<T = Record<string, unknown>>(sql: string, values?: unknown[]): Promise<T[]>;
  /** The rejects table's rows of a run, by line. */
  rejects(workflowId: string): Promise<Array<{ nodeId: string; lineNo: number; raw: string; reason: string }>>;
  drop(): Promise<void>;
}

export async function createTestData(
  prefix: string,
  functions: FunctionRegistryInput = {},
  options: { cache?: TwoLevelCache } = {},
): Promise<TestData> {
  const schema = `pwt_${prefix}_${randomBytes(4).toString('hex')}`;
  const stagingSchema = `${schema}_stg`;
  const services = createDataServices({
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    projectSchema: schema,
    stagingSchema,
    poolMax: 6,
    functions: createWorkerFunctions(functions),
    cache: options.cache,
  });
  const pool = services.pool();
  await services.ready(pool);
  return {
    services,
    schema,
    stagingSchema,
    pool,
    async rows<T>(sql: string, values: unknown[] = []) {
      return (await pool.query(sql, values)).rows as T[];
    },
    async rejects(workflowId: string) {
      const { rows } = await pool.query<{ node_id: string; line_no: string; raw: string; reason: string }>(
        `SELECT node_id, line_no, raw, reason FROM "${schema}".rejects WHERE workflow_id = $1 ORDER BY line_no`,
        [workflowId],
      );
      return rows.map((r) => ({ nodeId: r.node_id, lineNo: Number(r.line_no), raw: r.raw, reason: r.reason }));
    },
    async drop() {
      await pool.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
      await pool.query(`DROP SCHEMA IF EXISTS "${stagingSchema}" CASCADE`);
      await services.close();
    },
  };
}
