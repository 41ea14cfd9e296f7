/**
 * All-or-nothing loads: `replace`, `replace-where`, and `append` with `atomic: true`. Rows load exactly once, batch
 * by batch, into a landing table nobody reads; one transaction then publishes them: a replace swaps the landing table
 * in for the target (or, when other objects depend on the target, truncates it and copies the rows in); a
 * replace-where deletes the partition's rows and inserts the landing rows (every one of which must lie in the
 * partition); an atomic append inserts the landing rows into the target.
 */
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { MAX_IDENTIFIER_BYTES, quoteIdent } from '../../../model/identifiers';
import type { DataNodeContext } from '../../node-type';
import { checkpointedLoad } from './checkpointed-load';
import type { RowStream, Stats } from '../../../data/rows/stream';
import { registerStaging, stagingTableName } from '../../../data/tables/staging';
import type { TargetTable } from '../../../data/load/target-table';
import { publishedRows, publishOnce } from '../../../data/load/publish';
import { PartitionMismatchError, TargetTableError } from '../../../data/errors';

/** The partition of a replace-where load, with the target column's own name and type. */
export interface TargetPartition {
  readonly column: string;
  /** As Postgres formats it (`date`, `timestamp with time zone`, ...): the bound values are cast to it. */
  readonly type: string;
  readonly equals?: string | number | boolean;
  readonly from?: string | number | boolean;
  readonly to?: string | number | boolean;
}

export type Publish =
  | { readonly kind: 'swap' }
  | { readonly kind: 'insert' }
  | { readonly kind: 'partition'; readonly partition: TargetPartition };

export interface AtomicLoadInput {
  readonly stream: RowStream;
  readonly columnNames: readonly string[];
  readonly batchRows?: number;
  /** How the landed rows become the target's: swapped in, added, or replacing one partition. */
  readonly publish: Publish;
}

/** The partition's condition on the target's column, with its values as parameters `$1`, `$2`. */
function partitionCondition(p: TargetPartition): { sql: string; values: unknown[]; text: string } {
  const col = quoteIdent(p.column, 'column');
  // The type comes from the catalog (format_type), never from the definition.
  const cast = `::${p.type}`;
  if (p.equals !== undefined)
    return { sql: `${col} = $1${cast}`, values: [p.equals], text: `${p.column} = ${String(p.equals)}` };
  return {
    sql: `${col} >= $1${cast} AND ${col} < $2${cast}`,
    values: [p.from, p.to],
    text: `${String(p.from)} <= ${p.column} < ${String(p.to)}`,
  };
}

/** `<table>__pw_<tag>_<hash>` within 63 bytes, in the target's schema. */
function besideTarget(target: TargetTable, tag: string, seed: string): string {
  const suffix = `__pw_${tag}_${createHash('sha1').update(seed).digest('hex').slice(0, 8)}`;
  return target.name.slice(0, MAX_IDENTIFIER_BYTES - suffix.length) + suffix;
}

export async function loadAtomically(
  ctx: DataNodeContext<unknown>,
  pool: pg.Pool,
  target: TargetTable,
  input: AtomicLoadInput,
): Promise<Stats> {
  const key = { workflowId: ctx.workflowId, runId: ctx.runId, nodeId: ctx.nodeId };
  const projectSchema = ctx.data.projectSchema;
  const earlier = await publishedRows(pool, key, projectSchema);
  // Published by an earlier attempt that then lost its result: nothing more to do.
  if (earlier !== undefined) return { rowsWritten: earlier, rowsLoaded: 0, alreadyPublished: 1 };

  const run = { workflowId: ctx.workflowId, runId: ctx.runId };
  const seed = `${run.workflowId}\u0000${run.runId}\u0000${ctx.nodeId}`;
  const cols = input.columnNames.map((c) => quoteIdent(c, 'column')).join(', ');
  let landing: { schema: string; name: string };
  if (input.publish.kind === 'swap') {
    // Beside the target, so that a rename swaps it in; LIKE keeps defaults, constraints and indexes.
    landing = { schema: target.schema, name: besideTarget(target, 'new', seed) };
    await registerStaging(pool, { project: projectSchema, staging: landing.schema }, run, ctx.nodeId, landing.name);
    await pool.query(`CREATE TABLE IF NOT EXISTS ${qualified(landing)} (LIKE ${target.qualified} INCLUDING ALL)`);
  } else {
    const staging = ctx.data.stagingSchema;
    landing = { schema: staging, name: stagingTableName(run, ctx.nodeId, '_land') };
    await pool.query(`CREATE SCHEMA IF NOT EXISTS ${quoteIdent(staging, 'schema')}`);
    await registerStaging(pool, { project: projectSchema, staging }, run, ctx.nodeId, landing.name);
    await pool.query(
      `CREATE UNLOGGED TABLE IF NOT EXISTS ${qualified(landing)} AS SELECT ${cols} FROM ${target.qualified} WITH NO DATA`,
    );
  }
  const load = await checkpointedLoad(ctx, {
    pool,
    table: `${landing.schema}.${landing.name}`,
    stream: input.stream,
    columnNames: input.columnNames,
    batchRows: input.batchRows,
  });
  const published = await publishOnce(pool, key, projectSchema, async (client) => {
    await unregister(client, projectSchema, landing);
    if (input.publish.kind === 'swap') {
      await swapIn(client, ctx.nodeId, target, landing, besideTarget(target, 'old', seed), cols);
      return load.result.rows;
    }
    if (input.publish.kind === 'partition')
      await replacePartition(client, ctx.nodeId, target, landing, input.publish.partition);
    const res = await client.query(
      `INSERT INTO ${target.qualified} (${cols}) SELECT ${cols} FROM ${qualified(landing)}`,
    );
    await client.query(`DROP TABLE ${qualified(landing)}`);
    return res.rowCount ?? 0;
  });
  return { ...load.stats, rowsWritten: published };
}

const qualified = (t: { schema: string; name: string }): string =>
  `${quoteIdent(t.schema, 'schema')}.${quoteIdent(t.name, 'table')}`;

async function unregister(client: pg.ClientBase, projectSchema: string, t: { schema: string; name: string }) {
  await client.query(
    `DELETE FROM ${quoteIdent(projectSchema, 'schema')}.staging_tables WHERE schema_name = $1 AND table_name = $2`,
    [t.schema, t.name],
  );
}

/**
 * Renames the landing table into the target's place; if objects (views, sequences) depend on the target, copies the
 * rows instead. A target other tables' foreign keys reference can be neither dropped nor truncated: that fails the
 * node, non-retryably, naming them.
 */
async function swapIn(
  client: pg.ClientBase,
  nodeId: string,
  target: TargetTable,
  landing: { schema: string; name: string },
  oldName: string,
  cols: string,
): Promise<void> {
  await client.query(`LOCK TABLE ${target.qualified} IN ACCESS EXCLUSIVE MODE`);
  await client.query('SAVEPOINT pw_swap');
  try {
    await client.query(`ALTER TABLE ${target.qualified} RENAME TO ${quoteIdent(oldName, 'table')}`);
    await client.query(`ALTER TABLE ${qualified(landing)} RENAME TO ${quoteIdent(target.name, 'table')}`);
    await client.query(`DROP TABLE ${quoteIdent(target.schema, 'schema')}.${quoteIdent(oldName, 'table')}`);
    await client.query('RELEASE SAVEPOINT pw_swap');
  } catch (err) {
    // 2BP01: views, sequences or foreign keys depend on the old table; keep it and replace its rows instead.
    if ((err as { code?: string }).code !== '2BP01') throw err;
    await client.query('ROLLBACK TO SAVEPOINT pw_swap');
    // TRUNCATE refuses a table other tables reference; DELETE would fail on their rows, or cascade to them.
    const { rows: referencing } = await client.query<{ name: string }>(
      `SELECT DISTINCT conrelid::regclass::text AS name FROM pg_constraint
       WHERE contype = 'f' AND confrelid = $1::regclass AND conrelid <> confrelid ORDER BY 1`,
      [target.qualified],
    );
    if (referencing.length > 0)
      throw new TargetTableError(
        nodeId,
        `${target.schema}.${target.name}`,
        `is referenced by foreign keys of ${referencing.map((r) => r.name).join(', ')}: mode replace can neither swap ` +
          `it out nor empty it; load it with mode upsert (key: its primary key), or drop those foreign keys`,
      );
    await client.query(`TRUNCATE ${target.qualified}`);
    await client.query(`INSERT INTO ${target.qualified} (${cols}) SELECT ${cols} FROM ${qualified(landing)}`);
    await client.query(`DROP TABLE ${qualified(landing)}`);
  }
}

/**
 * Deletes the partition's rows from the target, after checking that every landed row lies in the partition: a row
 * outside it would survive the next load of the partition and be doubled. Runs in the publishing transaction.
 */
async function replacePartition(
  client: pg.ClientBase,
  nodeId: string,
  target: TargetTable,
  landing: { schema: string; name: string },
  partition: TargetPartition,
): Promise<void> {
  const cond = partitionCondition(partition);
  const outside = await client.query<{ n: string; example: string | null }>(
    `SELECT count(*) AS n, min(${quoteIdent(partition.column, 'column')}::text) AS example
     FROM ${qualified(landing)} WHERE NOT (${cond.sql}) OR ${quoteIdent(partition.column, 'column')} IS NULL`,
    cond.values,
  );
  const n = Number(outside.rows[0]?.n ?? 0);
  if (n > 0)
    throw new PartitionMismatchError(
      nodeId,
      `${target.schema}.${target.name}`,
      cond.text,
      n,
      outside.rows[0]?.example ?? null,
    );
  await client.query(`LOCK TABLE ${target.qualified} IN SHARE ROW EXCLUSIVE MODE`);
  await client.query(`DELETE FROM ${target.qualified} WHERE ${cond.sql}`, cond.values);
}
