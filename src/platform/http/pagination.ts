/**
 * Walking a paginated JSON API: one page, pages linked by a next URL (in the body or a `Link` header), or
 * numbered pages (`?page=1`, `?page=2`, ...). Each page yields its records (the array at the `records` path).
 */
import { HttpResponseError } from './errors';
import type { JsonPage } from './fetch-json';
import { displayUrl } from './fetch-json';
import { getJsonPath } from '../../model/json-path';
import type { Pagination } from '../../model/nodes/pagination';

export interface PageWalk {
  readonly nodeId: string;
  readonly url: string;
  readonly records: string;
  readonly pagination: Pagination;
  readonly maxPages: number;
  fetchPage(url: string): Promise<JsonPage>;
}

export interface PageOfRecords {
  readonly number: number;
  readonly url: string;
  readonly records: readonly unknown[];
  readonly fromCache: boolean;
}

/** Yields each page's records, in order, until the pagination says there are no more. */
export async function* walkPages(w: PageWalk): AsyncGenerator<PageOfRecords> {
  const seen = new Set<string>();
  let url: string | undefined = firstUrl(w);
  for (let n = 1; url !== undefined; n++) {
    if (n > w.maxPages)
      throw new HttpResponseError(
        w.nodeId,
        displayUrl(w.url),
        `more than maxPages (${w.maxPages}) pages; raise maxPages`,
      );
    seen.add(url);
    const page = await w.fetchPage(url);
    const records = getJsonPath(page.body, w.records);
    if (!Array.isArray(records))
      throw new HttpResponseError(
        w.nodeId,
        displayUrl(url),
        `no array of records at ${w.records === '' ? 'the top level' : `"${w.records}"`} (found ${kindOf(records)})`,
      );
    yield { number: n, url, records, fromCache: page.fromCache };
    url = nextUrl(w, url, page, records.length, n);
    if (url !== undefined && seen.has(url))
      throw new HttpResponseError(w.nodeId, displayUrl(url), 'the next page is one already read: the pagination loops');
  }
}

function firstUrl(w: PageWalk): string {
  const p = w.pagination;
  if (p.type !== 'page') return w.url;
  return withQuery(w.url, p.param, p.start, p.sizeParam, p.size);
}

function nextUrl(w: PageWalk, current: string, page: JsonPage, count: number, n: number): string | undefined {
  const p = w.pagination;
  switch (p.type) {
    case 'none':
      return undefined;
    case 'next-link': {
      const next = p.next === undefined ? page.linkNext : getJsonPath(page.body, p.next);
      if (next === undefined || next === null || next === '') return undefined;
      if (typeof next !== 'string')
        throw new HttpResponseError(
          w.nodeId,
          displayUrl(current),
          `the next link at "${p.next}" is ${kindOf(next)}, not a URL`,
        );
      return new URL(next, current).toString();
    }
    case 'page':
      if (count === 0 || (p.size !== undefined && count < p.size)) return undefined;
      return withQuery(w.url, p.param, p.start + n, p.sizeParam, p.size);
  }
}

function withQuery(url: string, param: string, value: number, sizeParam?: string, size?: number): string {
  const u = new URL(url);
  u.searchParams.set(param, String(value));
  if (sizeParam !== undefined && size !== undefined) u.searchParams.set(sizeParam, String(size));
  return u.toString();
}

const kindOf = (v: unknown): string =>
  v === undefined ? 'nothing' : v === null ? 'null' : Array.isArray(v) ? 'an array' : `a ${typeof v}`;
