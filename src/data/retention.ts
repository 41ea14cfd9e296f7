/**
 * Retention of the project's own tables: the sweep deletes the load ledger and the stored partition plans of runs
 * that ended long ago (PIPEWRIGHT_LEDGER_RETENTION) and old rejects (PIPEWRIGHT_REJECTS_RETENTION), in short transactions of a bounded
 * number of rows each, so that loads (which insert into both tables) never wait on it.
 *
 * A run's ledger goes whole, and only when the run is closed (asked of Temporal; no answer counts as open) and none
 * of its rows is younger than the retention. A rerun continues the ledger of the run it repeats under that run's key,
 * so the age test also keeps a ledger a rerun wrote to recently. The run is recorded in `ledger_pruned` in the
 * transaction that deletes its first rows: a load that would later continue that ledger fails with
 * `LedgerPruned` instead of loading again the batches it can no longer see.
 */
import type pg from 'pg';
import { quoteIdent } from '../model/identifiers';
import { inTransaction, withClient } from '../platform/db/pools';
import type { RunKey } from './tables/staging';

/** Rows per DELETE: each runs in its own short transaction. */
export const RETENTION_BATCH_ROWS = 5_000;
/** Runs looked at per table and sweep; the next sweep goes on where this one stopped. */
export const RETENTION_MAX_RUNS = 1_000;

export interface RetentionOptions {
  /** Ledger rows older than this, of closed runs, are deleted; undefined keeps the ledger. */
  readonly ledgerRetentionMs?: number;
  /** Rejects older than this, of closed runs, are deleted; undefined keeps them. */
  readonly rejectsRetentionMs?: number;
  /** Whether the run still exists and is open: its rows are kept. */
  readonly isRunOpen: (run: RunKey) => Promise<boolean>;
  readonly batchRows?: number;
  readonly maxRuns?: number;
  /** `lock_timeout` of each DELETE; a run whose rows are locked longer is left for the next sweep. Default 2 s. */
  readonly lockTimeoutMs?: number;
  /** Count what would be deleted, delete nothing. */
  readonly dryRun?: boolean;
}

export interface TableRetention {
  /** Rows deleted (with `dryRun`: that would be deleted). */
  readonly rows: number;
  /** Runs whose rows were (or would be) deleted. */
  readonly runs: number;
  /** Runs with old rows kept because they are open (or their rows were locked). */
  readonly kept: number;
}

export interface RetentionResult {
  readonly ledger: TableRetention;
  readonly rejects: TableRetention;
  /** Stored partition plans (partition_plans), swept with the ledger's retention. */
  readonly plans: TableRetention;
}

const NONE: TableRetention = { rows: 0, runs: 0, kept: 0 };

/** Deletes what is past retention in the ledger, the partition plans and the rejects; see the module comment. */
export async function sweepRetention(
  pool: pg.Pool,
  projectSchema: string,
  options: RetentionOptions,
): Promise<RetentionResult> {
  const open = new Map<string, Promise<boolean>>();
  // Asked once per run and sweep, for both tables.
  const isRunOpen = (run: RunKey): Promise<boolean> => {
    const key = `${run.workflowId}\u0000${run.runId}`;
    let answer = open.get(key);
    if (!answer) open.set(key, (answer = options.isRunOpen(run)));
    return answer;
  };
  const schema = quoteIdent(projectSchema, 'schema');
  const ledger =
    options.ledgerRetentionMs === undefined
      ? NONE
      : await sweepTable(pool, ledgerTable(schema), options.ledgerRetentionMs, { ...options, isRunOpen });
  const rejects =
    options.rejectsRetentionMs === undefined
      ? NONE
      : await sweepTable(pool, retainedTable(`${schema}.rejects`, 'created_at', 'id'), options.rejectsRetentionMs, {
          ...options,
          isRunOpen,
        });
  const plans =
    options.ledgerRetentionMs === undefined
      ? NONE
      : await sweepTable(
          pool,
          retainedTable(`${schema}.partition_plans`, 'created_at', 'ctid'),
          options.ledgerRetentionMs,
          { ...options, isRunOpen },
        );
  return { ledger, rejects, plans };
}

/** What differs between the swept tables. */
interface RetainedTable {
  readonly name: string;
  readonly timeColumn: string;
  /** Whether the run's rows must all stay although some are old; asked again in the transaction of the first DELETE. */
  readonly keepsAll?: (db: pg.Pool | pg.ClientBase, run: RunKey, cutoff: Date) => Promise<boolean>;
  /** Runs in the transaction of the run's first DELETE. */
  readonly beforeFirstDelete?: (client: pg.ClientBase, run: RunKey) => Promise<void>;
  /** `DELETE` of up to $4 rows of run ($1, $2) older than $3. */
  readonly deleteSql: string;
}

/**
 * A table swept by run and age: `DELETE` of up to $4 rows of run ($1, $2) whose `timeColumn` is older than $3, picked
 * by `key` (`id`: oldest first).
 */
function retainedTable(name: string, timeColumn: string, key: 'ctid' | 'id'): RetainedTable {
  const order = key === 'id' ? ' ORDER BY id' : '';
  return {
    name,
    timeColumn,
    deleteSql: `DELETE FROM ${name} WHERE ${key} IN (
      SELECT ${key} FROM ${name} WHERE workflow_id = $1 AND run_id = $2 AND ${timeColumn} < $3${order} LIMIT $4)`,
  };
}

function ledgerTable(schema: string): RetainedTable {
  const name = `${schema}.load_ledger`;
  return {
    ...retainedTable(name, 'committed_at', 'ctid'),
    // A ledger goes whole or not at all: a rerun that continues it (under this run's key) wrote to it lately.
    async keepsAll(db, run, cutoff) {
      const recent = await db.query(
        `SELECT 1 FROM ${name} WHERE workflow_id = $1 AND run_id = $2 AND committed_at >= $3 LIMIT 1`,
        [run.workflowId, run.runId, cutoff],
      );
      return (recent.rowCount ?? 0) > 0;
    },
    async beforeFirstDelete(client, run) {
      await client.query(
        `INSERT INTO ${schema}.ledger_pruned (workflow_id, run_id) VALUES ($1, $2) ON CONFLICT DO NOTHING`,
        [run.workflowId, run.runId],
      );
    },
  };
}

async function sweepTable(
  pool: pg.Pool,
  table: RetainedTable,
  retentionMs: number,
  options: RetentionOptions,
): Promise<TableRetention> {
  const { rows: now } = await pool.query<{ cutoff: Date }>('SELECT now() - make_interval(secs => $1) AS cutoff', [
    retentionMs / 1000,
  ]);
  const cutoff = (now[0] as { cutoff: Date }).cutoff;
  const { rows: candidates } = await pool.query<{ workflow_id: string; run_id: string }>(
    `SELECT DISTINCT workflow_id, run_id FROM ${table.name} WHERE ${table.timeColumn} < $1 LIMIT $2`,
    [cutoff, options.maxRuns ?? RETENTION_MAX_RUNS],
  );
  let rows = 0;
  let runs = 0;
  let kept = 0;
  for (const c of candidates) {
    const run = { workflowId: c.workflow_id, runId: c.run_id };
    if ((await options.isRunOpen(run)) || (await table.keepsAll?.(pool, run, cutoff))) {
      kept++;
      continue;
    }
    const deleted = options.dryRun
      ? await countOld(pool, table, run, cutoff)
      : await deleteRun(pool, table, run, cutoff, options);
    if (deleted === undefined) kept++;
    else {
      rows += deleted;
      runs++;
    }
  }
  return { rows, runs, kept };
}

async function countOld(pool: pg.Pool, table: RetainedTable, run: RunKey, cutoff: Date): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) AS n FROM ${table.name} WHERE workflow_id = $1 AND run_id = $2 AND ${table.timeColumn} < $3`,
    [run.workflowId, run.runId, cutoff],
  );
  return Number(rows[0]?.n ?? 0);
}

/** Deletes the run's old rows batch by batch; undefined when the run is kept (refused, or its rows stayed locked). */
async function deleteRun(
  pool: pg.Pool,
  table: RetainedTable,
  run: RunKey,
  cutoff: Date,
  options: RetentionOptions,
): Promise<number | undefined> {
  const batchRows = options.batchRows ?? RETENTION_BATCH_ROWS;
  const lockTimeout = `${Math.max(1, Math.round(options.lockTimeoutMs ?? 2_000))}ms`;
  return withClient(pool, async (client) => {
    let total = 0;
    for (let first = true; ; first = false) {
      let deleted: number | undefined;
      try {
        deleted = await inTransaction(client, async () => {
          await client.query(`SELECT set_config('lock_timeout', $1, true)`, [lockTimeout]);
          if (first) {
            // Asked again inside the transaction: a rerun may have committed a batch since.
            if (await table.keepsAll?.(client, run, cutoff)) return undefined;
            await table.beforeFirstDelete?.(client, run);
          }
          const res = await client.query(table.deleteSql, [run.workflowId, run.runId, cutoff, batchRows]);
          return res.rowCount ?? 0;
        });
      } catch (err) {
        // 55P03 lock_not_available: someone holds these rows; the next sweep tries again.
        if ((err as { code?: string }).code !== '55P03') throw err;
        return first ? undefined : total;
      }
      if (deleted === undefined) return undefined;
      total += deleted;
      if (deleted < batchRows) return total;
    }
  });
}
