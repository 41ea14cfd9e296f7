/**
 * The stored plans of partitioned nodes whose planning is costly or would not repeat (a byte-range split scans the
 * file; key ranges move as a table grows): the `listPartitions` activity writes each partition's descriptor once,
 * keyed by the run (workflow id and first run id), the node and the listing's fingerprint, and each partition's
 * activity reads its own back by index. Writing is idempotent (a retried listing writes nothing new).
 */
import type pg from 'pg';
import { quoteIdent } from '../../model/identifiers';
import type { PartitionDescriptor } from './types';

/** Which plan: the run, the node and the listing's fingerprint. */
export interface PlanKey {
  readonly workflowId: string;
  readonly runId: string;
  readonly nodeId: string;
  readonly fingerprint: string;
}

const table = (schema: string): string => `${quoteIdent(schema, 'schema')}.partition_plans`;

/** Stores every partition of a plan; partitions already stored under the same key stay as they are. */
export async function savePlan(
  pool: pg.Pool,
  schema: string,
  key: PlanKey,
  partitions: readonly PartitionDescriptor[],
): Promise<void> {
  await pool.query(
    `INSERT INTO ${table(schema)} (workflow_id, run_id, node_id, fingerprint, part, descriptor)
     SELECT $1, $2, $3, $4, (d.ord - 1)::int, d.value FROM jsonb_array_elements($5::jsonb) WITH ORDINALITY AS d(value, ord)
     ON CONFLICT DO NOTHING`,
    [key.workflowId, key.runId, key.nodeId, key.fingerprint, JSON.stringify(partitions)],
  );
}

/** The stored descriptor of partition `index`, or undefined when the plan (or that partition) is not stored. */
export async function loadPartition(
  pool: pg.Pool,
  schema: string,
  key: PlanKey,
  index: number,
): Promise<PartitionDescriptor | undefined> {
  const { rows } = await pool.query<{ descriptor: PartitionDescriptor }>(
    `SELECT descriptor FROM ${table(schema)}
     WHERE workflow_id = $1 AND run_id = $2 AND node_id = $3 AND fingerprint = $4 AND part = $5`,
    [key.workflowId, key.runId, key.nodeId, key.fingerprint, index],
  );
  return rows[0]?.descriptor;
}
