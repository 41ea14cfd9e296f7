/**
 * `source.http`: rows from a JSON API. Each page's records (the array at `records`) become rows by column name,
 * checked by type, like `source.ndjson` lines. Requests go through the origin's circuit breaker with a per-request
 * timeout; responses may come from the worker's response cache; the node heartbeats after every page.
 *
 * A retried attempt reads the pages again from the first (a load downstream skips the batches it committed, by
 * position), so the API must return the same records in the same order for the same URLs, as `source.postgres`
 * needs an ORDER BY. A cache with a TTL longer than a retry's wait makes that hold for APIs that change.
 */
import { z } from 'zod';
import { durationMs } from '../../model/duration';
import { DurationSchema } from '../../model/schema';
import { SourceChecks } from '../../data/rows/source-checks';
import { fetchJsonPage } from '../../platform/http/fetch-json';
import { JsonPathParam } from '../../platform/http/json-path';
import { PaginationSchema, walkPages } from '../../platform/http/pagination';
import { httpResource } from '../../platform/resilience/resources';
import type { RowChunk } from '../../data/rows/batch';
import { ColumnsSchema } from '../../model/columns/columns';
import { MaxRejectsSchema } from '../../model/max-rejects';
import { NdjsonParser } from '../../data/formats/ndjson-source';
import { defineStreamNode } from './define';

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

export const sourceHttp = defineStreamNode({
  name: 'source.http',
  description: 'Reads records from a paginated JSON API, through the origin circuit breaker.',
  params: SourceHttpParams,
  stream: {
    role: 'source',
    async openSource(ctx) {
      const p = ctx.params;
      const breaker = ctx.data.breaker(httpResource(p.url));
      const store = ctx.data.responseCache;
      const cache = p.cache && store ? { store, ttlMs: durationMs(p.cache.ttl) } : undefined;
      const parser = new NdjsonParser({ columns: p.columns });
      const checks = new SourceChecks(ctx.nodeId, p.columns, p.maxRejects);
      let pages = 0;
      let pagesFromCache = 0;
      const pageWalk = walkPages({
        nodeId: ctx.nodeId,
        url: p.url,
        records: p.records,
        pagination: p.pagination,
        maxPages: p.maxPages,
        fetchPage: (url) =>
          fetchJsonPage({
            url,
            headers: p.headers,
            breaker,
            ...(p.timeout !== undefined ? { timeoutMs: durationMs(p.timeout) } : {}),
            signal: ctx.signal,
            maxBytes: p.maxPageBytes,
            ...(cache ? { cache } : {}),
            nodeId: ctx.nodeId,
          }),
      });
      async function* chunks(): AsyncGenerator<RowChunk> {
        for await (const page of pageWalk) {
          pages++;
          if (page.fromCache) pagesFromCache++;
          // Liveness only: the checkpoint stays the load's (batches committed), which a retry resumes from.
          ctx.heartbeat();
          // Records become NDJSON lines, so they are read exactly as source.ndjson reads its lines (one line per
          // record: JSON.stringify escapes line breaks); line numbers are record numbers across pages.
          if (page.records.length > 0) parser.push(`${page.records.map((r) => JSON.stringify(r)).join('\n')}\n`);
          for (const chunk of parser.takeChunks()) yield checks.apply(chunk);
        }
        parser.end();
        for (const chunk of parser.takeChunks()) yield checks.apply(chunk);
        checks.finish();
      }
      return {
        columns: p.columns,
        chunks: chunks(),
        stats: () => ({
          ...checks.stats(),
          pages,
          ...(cache ? { pagesFromCache } : {}),
        }),
        close: async () => void (await pageWalk.return(undefined)),
      };
    },
  },
});
