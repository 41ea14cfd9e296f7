/**
 * Staging tables: the UNLOGGED tables that hold a node's output dataset between nodes. Each is named from the
 * run and the node, recorded in `<project>.staging_tables`, and dropped when the run ends or by the sweep.
 */
import { createIfAbsent } from './create-if-absent';
import { createHash } from 'node:crypto';
import type pg from 'pg';
import { MAX_IDENTIFIER_BYTES, quoteIdent } from '../../model/identifiers';
import { COLUMN_TYPES, type ColumnSpec } from '../../model/columns/columns';
import { DEFAULT_SRID } from '../geo/kinds';
import { requirePostgis } from '../geo/postgis';

/** Which run a staging table belongs to. */
export interface RunKey {
  readonly workflowId: string;
  /** The first execution run id: stable across continue-as-new. */
  readonly runId: string;
}

const hash = (text: string, chars: number): string => createHash('sha1').update(text).digest('hex').slice(0, chars);

/** A short hex digest naming a run, for table names (`chars` of a SHA-1 of workflow id and run id). */
export const runHash = (run: RunKey, chars: number): string => hash(`${run.workflowId}\u0000${run.runId}`, chars);

/**
 * `s_<run hash>_<node id>` with `-` as `_`, within Postgres's 63-byte limit (a long node id is cut and given a
 * hash of its own so two long ids cannot collide). The `staging_tables` table maps names back to runs and nodes.
 */
export function stagingTableName(run: RunKey, nodeId: string, suffix = ''): string {
  const prefix = `s_${runHash(run, 10)}_`;
  const node = nodeId.replace(/-/g, '_') + suffix;
  const room = MAX_IDENTIFIER_BYTES - prefix.length;
  return prefix + (node.length <= room ? node : `${node.slice(0, room - 9)}_${hash(node, 8)}`);
}

/** The column list of a CREATE TABLE for `columns`. */
export function columnDefinitions(columns: readonly ColumnSpec[]): string {
  return columns.map((c) => `${quoteIdent(c.name, 'column')} ${postgresTypeOf(c)}`).join(', ');
}

/** The Postgres type of a column: `geometry(Kind[Z], SRID)` for geometry (PostGIS's typmod checks both). */
export function postgresTypeOf(c: ColumnSpec): string {
  if (c.type !== 'geometry') return COLUMN_TYPES[c.type];
  return `geometry(${c.kind ?? 'Geometry'}${c.z ? 'Z' : ''}, ${c.srid ?? DEFAULT_SRID})`;
}

export interface StagingTable {
  readonly schema: string;
  readonly name: string;
  /** `"schema"."name"`. */
  readonly qualified: string;
}

/** Creates the staging table if it does not exist yet (a retried attempt finds it) and registers it. */
export async function createStagingTable(
  db: pg.Pool | pg.ClientBase,
  schemas: { readonly project: string; readonly staging: string },
  run: RunKey,
  nodeId: string,
  columns: readonly ColumnSpec[],
  suffix = '',
): Promise<StagingTable> {
  const name = stagingTableName(run, nodeId, suffix);
  const qualified = `${quoteIdent(schemas.staging, 'schema')}.${quoteIdent(name, 'table')}`;
  // Registered first: a crash between the two statements leaves a `staging_tables` row the sweep can act on.
  await requirePostgis(db, nodeId, columns);
  await registerStaging(db, schemas, run, nodeId, name);
  // The partitions of a node create its table at once.
  await createIfAbsent(db, `CREATE UNLOGGED TABLE IF NOT EXISTS ${qualified} (${columnDefinitions(columns)})`);
  return { schema: schemas.staging, name, qualified };
}

/** Records a staging table (created or about to be) of `run`. */
export async function registerStaging(
  db: pg.Pool | pg.ClientBase,
  schemas: { readonly project: string; readonly staging: string },
  run: RunKey,
  nodeId: string,
  name: string,
): Promise<void> {
  await db.query(
    `INSERT INTO ${quoteIdent(schemas.project, 'schema')}.staging_tables
       (schema_name, table_name, workflow_id, run_id, node_id) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT DO NOTHING`,
    [schemas.staging, name, run.workflowId, run.runId, nodeId],
  );
}

/** Drops every staging table of `run`; returns how many were dropped. */
export async function dropRunStaging(pool: pg.Pool, projectSchema: string, run: RunKey): Promise<number> {
  const { rows } = await pool.query<{ schema_name: string; table_name: string }>(
    `SELECT schema_name, table_name FROM ${quoteIdent(projectSchema, 'schema')}.staging_tables
     WHERE workflow_id = $1 AND run_id = $2`,
    [run.workflowId, run.runId],
  );
  for (const r of rows) await dropStaging(pool, projectSchema, r.schema_name, r.table_name);
  return rows.length;
}

async function countRunStaging(pool: pg.Pool, projectSchema: string, run: RunKey): Promise<number> {
  const { rows } = await pool.query<{ n: string }>(
    `SELECT count(*) n FROM ${quoteIdent(projectSchema, 'schema')}.staging_tables WHERE workflow_id = $1 AND run_id = $2`,
    [run.workflowId, run.runId],
  );
  return Number(rows[0]?.n ?? 0);
}

async function dropStaging(pool: pg.Pool, projectSchema: string, schema: string, table: string): Promise<void> {
  await pool.query(`DROP TABLE IF EXISTS ${quoteIdent(schema, 'schema')}.${quoteIdent(table, 'table')}`);
  await pool.query(
    `DELETE FROM ${quoteIdent(projectSchema, 'schema')}.staging_tables WHERE schema_name = $1 AND table_name = $2`,
    [schema, table],
  );
}

export interface SweepOptions {
  /** Whether the run still exists and is open; its staging is kept. */
  readonly isRunOpen: (run: RunKey) => Promise<boolean>;
  /** Entries younger than this are left alone (a run that is just starting). Default 60 s. */
  readonly minAgeMs?: number;
  /** Count what would be dropped, drop nothing. */
  readonly dryRun?: boolean;
}

export interface SweepResult {
  /** Staging tables dropped (with `dryRun`: that would be dropped). */
  readonly dropped: number;
  /** Runs whose staging was kept because they are still open. */
  readonly kept: number;
  /** Runs whose staging was (or would be) dropped. */
  readonly runs: readonly RunKey[];
}

/** Drops the staging tables of runs that are closed or gone. */
export async function sweepStaging(pool: pg.Pool, projectSchema: string, options: SweepOptions): Promise<SweepResult> {
  const { rows } = await pool.query<{ workflow_id: string; run_id: string }>(
    `SELECT DISTINCT workflow_id, run_id FROM ${quoteIdent(projectSchema, 'schema')}.staging_tables
     WHERE created_at < now() - make_interval(secs => $1)`,
    [(options.minAgeMs ?? 60_000) / 1000],
  );
  let dropped = 0;
  let kept = 0;
  const runs: RunKey[] = [];
  for (const r of rows) {
    const run = { workflowId: r.workflow_id, runId: r.run_id };
    if (await options.isRunOpen(run)) {
      kept += 1;
      continue;
    }
    runs.push(run);
    dropped += options.dryRun
      ? await countRunStaging(pool, projectSchema, run)
      : await dropRunStaging(pool, projectSchema, run);
  }
  return { dropped, kept, runs };
}
