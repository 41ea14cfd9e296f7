/**
 * One GET of a JSON document through its origin's circuit breaker, with a timeout, a size limit, and an optional
 * response cache. Errors say what happened in terms the classification understands: a status (`HttpStatusError`),
 * a failed request (`HttpRequestError`), or a response that is not JSON (`HttpResponseError`, not retryable).
 */
import { createHash } from 'node:crypto';
import type { ResourceBreaker } from '../resilience/breaker';
import { BreakerTimeoutError, HttpRequestError, HttpStatusError } from '../resilience/errors';
import { HttpResponseError } from './errors';
import type { ResponseCache } from './response-cache';

/** A fetched (or cached) document. */
export interface JsonPage {
  readonly body: unknown;
  /** The target of a `Link: <...>; rel="next"` header, resolved against the request URL. */
  readonly linkNext?: string;
  readonly fromCache: boolean;
}

export interface FetchJsonOptions {
  readonly url: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly breaker: ResourceBreaker;
  /** This request's timeout; the breaker's when omitted. */
  readonly timeoutMs?: number;
  /** Aborts the request (the node was cancelled). */
  readonly signal?: AbortSignal;
  /** A larger response fails the node: a page is held in memory whole. */
  readonly maxBytes: number;
  readonly cache?: { readonly store: ResponseCache; readonly ttlMs: number };
  /** For messages. */
  readonly nodeId: string;
}

/** The URL as shown in messages and logs: no credentials, no query string (it may hold a token). */
export const displayUrl = (url: string): string => {
  try {
    const u = new URL(url);
    return `${u.origin}${u.pathname}`;
  } catch {
    return '(invalid URL)';
  }
};

export async function fetchJsonPage(o: FetchJsonOptions): Promise<JsonPage> {
  const key = o.cache ? cacheKey(o.url, o.headers) : undefined;
  if (o.cache && key) {
    // A cache that is away is a miss, not a failure: it is an optional part.
    const hit: unknown = await Promise.resolve()
      .then(() => o.cache?.store.get(key))
      .catch(() => undefined);
    if (isCachedPage(hit)) return { body: hit.body, linkNext: hit.linkNext, fromCache: true };
  }
  const page = await o.breaker.call(
    (signal) => request(o, signal),
    o.timeoutMs !== undefined ? { timeoutMs: o.timeoutMs } : {},
  );
  if (o.cache && key) {
    const value: CachedPage = { body: page.body, ...(page.linkNext ? { linkNext: page.linkNext } : {}) };
    await Promise.resolve()
      .then(() => o.cache?.store.set(key, value, o.cache.ttlMs))
      .catch(() => undefined);
  }
  return page;
}

interface CachedPage {
  readonly body: unknown;
  readonly linkNext?: string;
}

const isCachedPage = (v: unknown): v is CachedPage => typeof v === 'object' && v !== null && 'body' in v;

/** `source.http:` and a hash of the URL and headers: keys never show a token. */
export function cacheKey(url: string, headers: Readonly<Record<string, string>>): string {
  const h = createHash('sha256');
  h.update(url);
  for (const [k, v] of Object.entries(headers).sort(([a], [b]) => a.localeCompare(b))) h.update(`\n${k}:${v}`);
  return `source.http:${h.digest('hex')}`;
}

async function request(o: FetchJsonOptions, breakerSignal: AbortSignal): Promise<JsonPage> {
  const shown = displayUrl(o.url);
  const signal = o.signal ? AbortSignal.any([breakerSignal, o.signal]) : breakerSignal;
  let res: Response;
  try {
    res = await fetch(o.url, { headers: { accept: 'application/json', ...o.headers }, signal });
  } catch (err) {
    throw requestError(shown, err, signal);
  }
  if (!res.ok) {
    await res.body?.cancel().catch(() => undefined);
    throw new HttpStatusError(shown, res.status, res.statusText, retryAfterMs(res.headers.get('retry-after')));
  }
  let text: string;
  try {
    text = await readText(
      res,
      o.maxBytes,
      () => new HttpResponseError(o.nodeId, shown, `larger than ${o.maxBytes} bytes`),
    );
  } catch (err) {
    if (err instanceof HttpResponseError) throw err;
    throw requestError(shown, err, signal);
  }
  let body: unknown;
  try {
    body = JSON.parse(text);
  } catch (err) {
    throw new HttpResponseError(o.nodeId, shown, `not JSON (${(err as Error).message})`);
  }
  const linkNext = nextFromLinkHeader(res.headers.get('link'), o.url);
  return { body, ...(linkNext ? { linkNext } : {}), fromCache: false };
}

function requestError(url: string, err: unknown, signal: AbortSignal): unknown {
  // The breaker's timeout or the node's cancellation: report that, not the abort it caused.
  if (signal.aborted) return signal.reason instanceof BreakerTimeoutError ? signal.reason : err;
  const cause = (err as { cause?: { code?: unknown; message?: unknown } }).cause;
  const code = typeof cause?.code === 'string' ? cause.code : undefined;
  const message = typeof cause?.message === 'string' ? cause.message : (err as Error).message;
  return new HttpRequestError(url, code, message, { cause: err });
}

/** Reads the body as UTF-8, failing once it passes `maxBytes`. */
async function readText(res: Response, maxBytes: number, tooLarge: () => Error): Promise<string> {
  const declared = Number(res.headers.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    await res.body?.cancel().catch(() => undefined);
    throw tooLarge();
  }
  if (!res.body) return '';
  const decoder = new TextDecoder();
  const reader = res.body.getReader();
  let size = 0;
  let text = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge();
    }
    text += decoder.decode(value, { stream: true });
  }
  return text + decoder.decode();
}

/** `Retry-After` in seconds or as an HTTP date, in milliseconds from now. */
export function retryAfterMs(header: string | null, now = Date.now()): number | undefined {
  if (!header) return undefined;
  if (/^\d+$/.test(header.trim())) return Number(header.trim()) * 1000;
  const at = Date.parse(header);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

/** The `rel="next"` target of a Link header, resolved against `base`. */
export function nextFromLinkHeader(header: string | null, base: string): string | undefined {
  if (!header) return undefined;
  for (const part of header.split(/,(?=\s*<)/)) {
    const m = /^\s*<([^>]*)>(.*)$/.exec(part);
    if (!m) continue;
    const rel = /;\s*rel\s*=\s*"?([^";]+)"?/i.exec(m[2] ?? '')?.[1];
    if (rel?.split(/\s+/).includes('next')) return new URL(m[1] ?? '', base).toString();
  }
  return undefined;
}
