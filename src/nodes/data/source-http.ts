/**
 * `source.http`: rows from a JSON API. Each page's records (the array at `records`) become rows by column name,
 * checked by type, like `source.ndjson` lines. Requests go through the origin's circuit breaker with a per-request
 * timeout; responses may come from the worker's response cache; the node heartbeats after every page.
 *
 * A retried attempt reads the pages again from the first (a load downstream skips the batches it committed, by
 * position), so the API must return the same records in the same order for the same URLs, as `source.postgres`
 * needs an ORDER BY. A cache with a TTL longer than a retry's wait makes that hold for APIs that change.
 */
import { durationMs } from '../../model/duration';
import { SourceChecks } from '../../data/rows/source-checks';
import { fetchJsonPage } from '../../platform/http/fetch-json';
import { walkPages } from '../../platform/http/pagination';
import { httpResource } from '../../platform/resilience/resources';
import type { RowChunk } from '../../data/rows/batch';
import { isUnclean, JsonRecordRows } from '../../data/formats/json-records';
import { ChunkBuilder } from '../../data/rows/chunk-builder';
import { defineStreamNode } from './define';
import { sourceHttpDescription } from '../../model/nodes/source-http';

/** Records per chunk handed downstream, as the NDJSON reader makes them. */
const RECORDS_PER_CHUNK = 1024;

export const sourceHttp = defineStreamNode(sourceHttpDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const breaker = ctx.data.breaker(httpResource(p.url));
    const store = ctx.data.responseCache;
    const cache = p.cache && store ? { store, ttlMs: durationMs(p.cache.ttl) } : undefined;
    const records = new JsonRecordRows(p.columns);
    const builder = new ChunkBuilder(RECORDS_PER_CHUNK);
    let recordNo = 0;
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
        // Records become rows as source.ndjson lines do; their line numbers are record numbers across pages.
        for (const record of page.records) {
          recordNo++;
          const converted = records.convert(record);
          if (typeof converted === 'string') builder.reject(recordNo, JSON.stringify(record) ?? '', converted);
          else {
            if (isUnclean(converted.row)) builder.markUnclean();
            builder.row(converted.row, recordNo);
          }
        }
        for (const chunk of builder.take()) yield checks.apply(chunk);
      }
      builder.flush();
      for (const chunk of builder.take()) yield checks.apply(chunk);
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
});
