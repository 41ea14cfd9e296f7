/** `source.http`: rows from a paginated JSON API, through the origin's circuit breaker. */
import { z } from 'zod';
import { ColumnsSchema } from '../columns/columns';
import { durationMs } from '../duration';
import { JsonPathParam } from '../json-path';
import { MaxRejectsSchema } from '../max-rejects';
import { DurationSchema } from '../schema';
import { PaginationSchema } from './pagination';
import { describeNode } from './describe';

const isHttpUrl = (v: string): boolean => {
  try {
    const u = new URL(v);
    return u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    return false;
  }
};

const positiveDuration = (what: string) =>
  DurationSchema.refine((v) => durationMs(v) > 0, { message: `${what} must be greater than 0` });

export const SourceHttpParams = z
  .object({
    /** The first page. */
    url: z.string().refine(isHttpUrl, { message: 'expected an http:// or https:// URL' }),
    /** Request headers. They are part of the definition (and so of the run's history): no long-lived secrets. */
    headers: z.record(z.string()).default({}),
    /** Path of the array of records in each page: `data.items`, `results[0].rows`; "" for a top-level array. */
    records: JsonPathParam.default(''),
    /** The keys to take from each record, with their types, in output order. A missing key is NULL. */
    columns: ColumnsSchema,
    /** `{ type: none }` (default), `{ type: next-link, next? }` or `{ type: page, param?, start?, size?, sizeParam? }`. */
    pagination: PaginationSchema.default({ type: 'none' }),
    /** Per-request timeout; the origin breaker's timeout when omitted. */
    timeout: positiveDuration('timeout').optional(),
    /** More pages than this fail the node (a pagination that never ends). */
    maxPages: z.number().int().min(1).max(1_000_000).default(10_000),
    /** A larger page fails the node: each page is held in memory whole. */
    maxPageBytes: z
      .number()
      .int()
      .min(1024)
      .max(1024 ** 3)
      .default(32 * 1024 ** 2),
    /** Keep responses in the worker's response cache this long (ignored when the worker has none). */
    cache: z
      .object({ ttl: positiveDuration('cache.ttl') })
      .strict()
      .optional(),
    /** Records that do not fit the columns tolerated (a count, or `{ ratio }`) before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type SourceHttpParams = z.output<typeof SourceHttpParams>;

export const sourceHttpDescription = describeNode({
  name: 'source.http',
  description: 'Reads records from a paginated JSON API, through the origin circuit breaker.',
  params: SourceHttpParams,
  stream: 'source',
  staging: true,
});
