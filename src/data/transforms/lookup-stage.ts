/**
 * The stage of `transform.lookup`: for each chunk, the distinct keys are looked up in the two-level cache; the
 * keys neither level holds go to the source in one batch (one query), and what it returns, found or not, is
 * cached for the next chunks, runs and workers. Rows then get the looked-up columns appended.
 */
import type { CacheNamespace } from '../../platform/cache';
import type { RowChunk } from '../rows/batch';
import type { FieldValue } from '../../model/columns/columns';
import type { ColumnSpec } from '../../model/columns/columns';
import type { MaxRejects } from '../../model/max-rejects';
import type { Stats, TransformStage } from '../rows/stream';
import { rowStage } from './row-stage';
import type { LookupSource } from './lookup-source';

/** A row whose key is not found (or NULL, or empty): NULLs in the added columns, dropped, or a reject. */
export type MissingPolicy = 'null' | 'drop' | 'reject';

/** A cached lookup result: the row's added values, or null for a key the source does not have. */
export type LookupEntry = FieldValue[] | null;

export interface LookupStageOptions {
  readonly nodeId: string;
  readonly input: readonly ColumnSpec[];
  /** Index of the input column whose value is looked up. */
  readonly on: number;
  readonly source: LookupSource;
  /** Output names of the source's columns (prefixed). */
  readonly names: readonly string[];
  readonly cache: CacheNamespace<LookupEntry>;
  readonly ttlMs?: number;
  readonly missing: MissingPolicy;
  readonly maxRejects: MaxRejects;
  /** For the reject reason: what was looked up where. */
  readonly describe: string;
}

const SEP = '\u001f';

export function lookupStage(o: LookupStageOptions): TransformStage {
  const width = o.source.columns.length;
  const nulls: FieldValue[] = new Array<FieldValue>(width).fill(null);
  const columns = [...o.input, ...o.source.columns.map((c, i) => ({ ...c, name: o.names[i] as string }))];
  const counts = { rowsMatched: 0, rowsMissing: 0, keysLookedUp: 0, keysQueried: 0, queries: 0 };
  // The chunk being mapped: each distinct raw key value, as it appears in rows, and what it looked up.
  let current = new Map<string, LookupEntry>();

  const load = async (cacheKeys: string[]): Promise<Map<string, LookupEntry>> => {
    const keys = cacheKeys.map((k) => k.slice(o.source.id.length + 1));
    counts.queries++;
    counts.keysQueried += keys.length;
    const rows = await o.source.load(keys);
    // Keys the source does not have are cached as null, so they are not asked for again until the TTL.
    return new Map(cacheKeys.map((ck, i) => [ck, rows.get(keys[i] as string) ?? null]));
  };

  const rows = rowStage({
    nodeId: o.nodeId,
    columns,
    maxRejects: o.maxRejects,
    addsText: true,
    fn: (row) => {
      const value = row[o.on];
      const found = value === null || value === undefined ? undefined : current.get(value);
      if (found) {
        counts.rowsMatched++;
        return row.concat(found);
      }
      counts.rowsMissing++;
      if (o.missing === 'drop') return undefined;
      if (o.missing === 'reject')
        throw new Error(
          `no row with ${o.describe} = ${value === null || value === undefined ? 'NULL' : JSON.stringify(value)}`,
        );
      return row.concat(nulls);
    },
  });

  return {
    columns,
    async apply(chunk: RowChunk): Promise<RowChunk> {
      // Each distinct raw value is normalised once: `007` and `7` may name the same key.
      const cacheKeyOf = new Map<string, string | undefined>();
      for (const row of chunk.rows) {
        const value = row[o.on];
        // An empty key names nothing: it counts as missing, like NULL.
        if (value === null || value === undefined || value === '' || cacheKeyOf.has(value)) continue;
        const key = o.source.canonical(value);
        cacheKeyOf.set(value, key === undefined ? undefined : o.source.id + SEP + key);
      }
      const distinct = new Set<string>();
      for (const ck of cacheKeyOf.values()) if (ck !== undefined) distinct.add(ck);
      counts.keysLookedUp += distinct.size;
      const found = await o.cache.getOrLoadMany([...distinct], load, o.ttlMs === undefined ? {} : { ttlMs: o.ttlMs });
      current = new Map();
      for (const [value, ck] of cacheKeyOf) {
        const entry = ck === undefined ? undefined : found.get(ck);
        if (entry !== undefined) current.set(value, entry);
      }
      return rows.apply(chunk);
    },
    finish: () => rows.finish?.(),
    stats: (): Stats => ({
      ...rows.stats(),
      ...counts,
      keysFromCache: counts.keysLookedUp - counts.keysQueried,
    }),
  };
}
