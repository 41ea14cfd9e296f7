/** `sink.postgres`: loads rows into a table exactly once in effect: append (COPY), upsert, replace or replace-where. */
import { z } from 'zod';
import { zIdentifier, zQualifiedName } from '../identifiers';
import { DEFAULT_BATCH_ROWS } from '../limits';
import { MaxRejectsSchema } from '../max-rejects';
import { ConnectionParam } from './common-params';
import { describeNode } from './describe';

export const SINK_MODES = ['append', 'upsert', 'replace', 'replace-where'] as const;

/** When a load runs `ANALYZE` on its target; see the `analyze` param. */
export const ANALYZE_MODES = ['auto', 'always', 'never'] as const;
export type AnalyzeMode = (typeof ANALYZE_MODES)[number];

const PartitionValue = z.union([z.string(), z.number(), z.boolean()]);

/**
 * The partition a `replace-where` load replaces: the rows whose `column` equals a value, or lies in a range
 * (`from` inclusive, `to` exclusive). Values are bound as parameters of the column's type, never spliced into SQL.
 */
export const PartitionSchema = z
  .object({
    column: zIdentifier('column'),
    equals: PartitionValue.optional(),
    from: PartitionValue.optional(),
    to: PartitionValue.optional(),
  })
  .strict()
  .refine((w) => (w.equals !== undefined) !== (w.from !== undefined || w.to !== undefined), {
    message: 'give `equals`, or a range `from` (inclusive) and `to` (exclusive)',
  })
  .refine((w) => w.equals !== undefined || (w.from !== undefined && w.to !== undefined), {
    message: 'a range needs both `from` and `to`',
  });
export type Partition = z.output<typeof PartitionSchema>;

export const SinkPostgresParams = z
  .object({
    /** `table` or `schema.table`. */
    table: zQualifiedName('table'),
    connection: ConnectionParam,
    /** append (COPY), upsert (INSERT ... ON CONFLICT on `key`), replace (load a copy, swap it in). Default append. */
    mode: z.enum(SINK_MODES).default('append'),
    /** Key columns for upsert; a unique index or primary key must cover exactly these. */
    key: z.array(zIdentifier('column')).min(1).optional(),
    /** Create the table from the input's columns when it does not exist (with `key` as primary key). */
    createTable: z.boolean().default(false),
    /** After the load, a GiST index on each geometry column (`CREATE INDEX IF NOT EXISTS ... USING gist`). */
    spatialIndex: z.boolean().default(false),
    /** Rows per transaction (one ledger batch). */
    batchRows: z.number().int().min(1).max(10_000_000).default(DEFAULT_BATCH_ROWS),
    /** append only: load into a staging copy and publish all rows in one transaction at the end. */
    atomic: z.boolean().default(false),
    /** Rows the table refuses (type, NOT NULL, constraints) tolerated before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
    /** replace-where: the partition whose rows the load replaces. */
    where: PartitionSchema.optional(),
    /**
     * `ANALYZE` the target after the load (stat `analyzed: 1`), so the next queries plan with the new rows: `auto`
     * when the load wrote more than 10% of the rows the planner estimated (`pg_class.reltuples`) or the table was
     * empty, new or never analyzed (a replace always); `always`; or `never` (autovacuum's own schedule). Default auto.
     */
    analyze: z.enum(ANALYZE_MODES).default('auto'),
  })
  .strict()
  .refine((p) => (p.mode === 'replace-where') === (p.where !== undefined), {
    message: 'mode replace-where needs `where: { column, equals }` (or from/to), and only it takes `where`',
    path: ['where'],
  })
  .refine((p) => p.mode !== 'upsert' || (p.key?.length ?? 0) > 0, {
    message: 'mode upsert needs `key`: the columns of a unique index or primary key',
    path: ['key'],
  })
  .refine((p) => p.mode === 'upsert' || p.key === undefined || p.createTable, {
    message: '`key` is used by mode upsert (or as the primary key with createTable)',
    path: ['key'],
  })
  .refine((p) => !p.atomic || p.mode === 'append', {
    message: '`atomic` applies to mode append; replace and replace-where are always atomic, upsert is idempotent',
    path: ['atomic'],
  });
export type SinkPostgresParams = z.output<typeof SinkPostgresParams>;

export const sinkPostgresDescription = describeNode({
  name: 'sink.postgres',
  description:
    'Loads rows into a Postgres table exactly once: append (COPY), upsert (ON CONFLICT), replace (swap) or replace-where (one partition).',
  params: SinkPostgresParams,
  stream: 'sink',
  staging: true,
});
