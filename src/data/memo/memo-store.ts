/**
 * Where memoized node outputs live between runs. The entry (fingerprint, output, expiry) is a row of
 * `<project>.memo_entries`, read through the cache's `memo` namespace; the dataset a staging table holds is
 * adopted (renamed `m_...` and taken out of the run's staging) so that it outlives the run until the sweep.
 */
import { runHash } from '../tables/staging';
import { datasetPresent } from '../tables/dataset-present';
import type pg from 'pg';
import type { NodeOutput } from '../../model/state';
import { parseQualifiedName, quoteIdent } from '../../model/identifiers';
import { withTransaction } from '../../platform/db/pools';
import type { DataServices } from '../services';

/** The cache namespace of memo entries (`PIPEWRIGHT_CACHE_TTL_MEMO` caps how long an entry is cached). */
export const MEMO_NAMESPACE = 'memo';

/** The node execution that made (and owns) an output. */
export interface MemoOwner {
  readonly workflowId: string;
  readonly runId: string;
  readonly nodeId: string;
}

interface CachedEntry {
  readonly output: NodeOutput;
  /** Epoch ms. */
  readonly expiresAt: number;
}

export interface MemoStore {
  /** The output kept under `fingerprint`, while its entry lives and its dataset is still there. */
  find(fingerprint: string): Promise<NodeOutput | undefined>;
  /**
   * Keeps `output` under `fingerprint` for `ttlMs`. A staging table of the owner's run is adopted, and the output
   * returned names it at its new place; when another entry for the fingerprint lives already, nothing is kept.
   */
  keep(owner: MemoOwner, fingerprint: string, nodeType: string, output: NodeOutput, ttlMs: number): Promise<NodeOutput>;
}

/** `m_<fingerprint 40>_<run hash 8>`: 51 characters, unique per fingerprint and run. */
export const memoTableName = (fingerprint: string, owner: MemoOwner): string =>
  `m_${fingerprint.slice(0, 40)}_${runHash(owner, 8)}`;

export function createMemoStore(data: DataServices): MemoStore {
  const cache = data.cache.namespace<CachedEntry>(MEMO_NAMESPACE);
  const entries = `${quoteIdent(data.projectSchema, 'schema')}.memo_entries`;
  const staging = `${quoteIdent(data.projectSchema, 'schema')}.staging_tables`;
  const pool = (): pg.Pool => data.pool();
  const ready = async (): Promise<pg.Pool> => {
    const p = pool();
    await data.ready(p);
    return p;
  };

  const select = async (fingerprint: string): Promise<CachedEntry | undefined> => {
    const { rows } = await (
      await ready()
    ).query<{ output: NodeOutput; expires_at: Date }>(
      `SELECT output, expires_at FROM ${entries} WHERE fingerprint = $1 AND expires_at > now()
       ORDER BY expires_at DESC LIMIT 1`,
      [fingerprint],
    );
    const row = rows[0];
    return row ? { output: row.output, expiresAt: row.expires_at.getTime() } : undefined;
  };

  /** Whether the dataset an output names is still there. */
  const present = async (output: NodeOutput): Promise<boolean> =>
    output.dataset === undefined || datasetPresent(ready, output.dataset);

  return {
    async find(fingerprint) {
      const entry = await cache.getOrLoad(fingerprint, () => select(fingerprint), {
        // Cached no longer than the entry lives, nor than the namespace's TTL.
        ttlMs: (e) => Math.min(e.expiresAt - Date.now(), cache.settings.ttlMs),
      });
      if (!entry || entry.expiresAt <= Date.now()) return undefined;
      if (await present(entry.output)) return entry.output;
      // Its dataset is gone: forget the entry, here and in every worker, and let the node run.
      await (await ready()).query(`DELETE FROM ${entries} WHERE fingerprint = $1`, [fingerprint]);
      await cache.invalidate(fingerprint);
      return undefined;
    },

    async keep(owner, fingerprint, nodeType, output, ttlMs) {
      const p = await ready();
      const kept = await withTransaction(p, async (client) => {
        // One keeper per fingerprint at a time: two runs finishing together do not both adopt.
        await client.query('SELECT pg_advisory_xact_lock(hashtext($1))', [`pipewright.memo:${fingerprint}`]);
        const live = await client.query(`SELECT 1 FROM ${entries} WHERE fingerprint = $1 AND expires_at > now()`, [
          fingerprint,
        ]);
        if ((live.rowCount ?? 0) > 0) return undefined;
        let result = output;
        let adopted: { schema: string; table: string } | undefined;
        const d = output.dataset;
        if (d?.kind === 'table') {
          const { schema = '', name } = parseQualifiedName(d.location);
          const own = await client.query(
            `DELETE FROM ${staging} WHERE schema_name = $1 AND table_name = $2 AND workflow_id = $3 AND run_id = $4`,
            [schema, name, owner.workflowId, owner.runId],
          );
          if ((own.rowCount ?? 0) > 0) {
            const table = memoTableName(fingerprint, owner);
            await client.query(
              `ALTER TABLE ${quoteIdent(schema, 'schema')}.${quoteIdent(name, 'table')} RENAME TO ${quoteIdent(table, 'table')}`,
            );
            adopted = { schema, table };
            result = { ...output, dataset: { ...d, location: `${schema}.${table}` } };
          }
        }
        const { rows } = await client.query<{ expires_at: Date }>(
          `INSERT INTO ${entries} (fingerprint, node_type, output, schema_name, table_name, workflow_id, run_id, node_id,
                                   expires_at)
           VALUES ($1, $2, $3::jsonb, $4, $5, $6, $7, $8, now() + make_interval(secs => $9)) RETURNING expires_at`,
          [
            fingerprint,
            nodeType,
            JSON.stringify(result),
            adopted?.schema ?? null,
            adopted?.table ?? null,
            owner.workflowId,
            owner.runId,
            owner.nodeId,
            ttlMs / 1000,
          ],
        );
        return { output: result, expiresAt: (rows[0] as { expires_at: Date }).expires_at.getTime() };
      });
      if (!kept) return output;
      await cache.set(fingerprint, kept, { ttlMs: Math.min(ttlMs, cache.settings.ttlMs) });
      return kept.output;
    },
  };
}

export interface MemoSweepResult {
  /** Entries removed. */
  readonly entries: number;
  /** Adopted tables dropped with them. */
  readonly tables: number;
}

/**
 * Removes entries expired for longer than `graceMs` and drops the tables they adopted. The grace lets a run that
 * reused an output just before it expired finish reading it.
 */
export async function sweepMemo(
  pool: pg.Pool,
  projectSchema: string,
  options: { readonly graceMs: number },
): Promise<MemoSweepResult> {
  const entries = `${quoteIdent(projectSchema, 'schema')}.memo_entries`;
  const { rows } = await pool.query<{ id: string }>(
    `SELECT id FROM ${entries} WHERE expires_at < now() - make_interval(secs => $1) ORDER BY id`,
    [options.graceMs / 1000],
  );
  let tables = 0;
  for (const { id } of rows) {
    await withTransaction(pool, async (client) => {
      const gone = await client.query<{ schema_name: string | null; table_name: string | null }>(
        `DELETE FROM ${entries} WHERE id = $1 RETURNING schema_name, table_name`,
        [id],
      );
      const row = gone.rows[0];
      if (row?.schema_name && row.table_name) {
        await client.query(
          `DROP TABLE IF EXISTS ${quoteIdent(row.schema_name, 'schema')}.${quoteIdent(row.table_name, 'table')}`,
        );
        tables++;
      }
    });
  }
  return { entries: rows.length, tables };
}
