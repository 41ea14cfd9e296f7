/**
 * Params that make a source partitioned: `split` of `source.csv` and `partitionBy` of `source.postgres`. They are read
 * by the partition planners (src/data/partitions/csv-ranges.ts, key-ranges.ts) when the run lists the node's
 * partitions, not by the node's own reader, which reads one partition as the planner described it.
 */
import { z } from 'zod';
import { parseByteSize, type ByteSizeInput } from '../byte-size';
import { zIdentifier } from '../identifiers';

/** Most partitions one split may make (a smaller `partSize` is raised to fit). */
export const MAX_PARTS = 10_000;

const PartsParam = z.number().int().min(1, 'parts must be at least 1').max(MAX_PARTS, `parts is at most ${MAX_PARTS}`);

/** A size: bytes as a number, or a string like `64MB` (kB, MB, GB, TB; powers of 1024). */
export const ByteSizeParam = z
  .union([z.number(), z.string()])
  .refine((v: ByteSizeInput) => parseByteSize(v) !== undefined, {
    message: 'expected a size: bytes as a whole number, or a string like "512kB", "64MB", "1GB"',
  });

/**
 * `source.csv` `split`: one file read as byte ranges aligned to record boundaries, one partition each; either a
 * number of `parts` or a target `partSize`.
 */
export const CsvSplitParam = z
  .object({ parts: PartsParam.optional(), partSize: ByteSizeParam.optional() })
  .strict()
  .refine((s) => (s.parts === undefined) !== (s.partSize === undefined), {
    message: 'split takes either parts (a number) or partSize (a size such as "64MB"), not both',
  });
export type CsvSplitParam = z.output<typeof CsvSplitParam>;

/** `source.postgres` `partitionBy`: the query read as `parts` ranges of one column's values, one partition each. */
export const PartitionByParam = z
  .object({
    /** A column of the query's result: integer, bigint, smallint, numeric, date, timestamp or timestamptz. */
    column: zIdentifier('column'),
    parts: PartsParam,
  })
  .strict();
export type PartitionByParam = z.output<typeof PartitionByParam>;
