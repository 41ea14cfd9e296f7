/**
 * The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls so operators can read encrypted
 * payloads: POST `.../decode` and `.../encode` with `{ payloads: [...] }` in protobuf JSON, answered in the same
 * shape. Only the last path segment counts, as the protocol asks. Browsers get CORS headers for the allowed
 * origins (the UI's); a request from any other origin is refused. Each request needs a credential for the
 * namespace it names in `X-Namespace` (see `credentials.ts`), checked before its body is read; each is logged
 * without its contents. `GET /healthz` answers without credentials and tells nothing.
 */
import type http from 'node:http';
import type { PayloadCodec } from '@temporalio/common';
import type { CodecAuth } from './credentials';
import { checkAccess } from './credentials';
import { fromPayloadJson, PayloadsJsonSchema, toPayloadJson } from './payload-json';
import type { CodecRequestRecord } from './request-log';
import { codecRequestLine } from './request-log';

export interface CodecEndpointOptions {
  readonly codec: PayloadCodec;
  /** Origins allowed to call from a browser, e.g. `http://localhost:8233`; `*` allows any. */
  readonly corsOrigins: readonly string[];
  /** Who may decode and encode. */
  readonly auth: CodecAuth;
  /** Where the line of each decode and encode request goes; nowhere when unset. */
  readonly log?: (line: string) => void;
  /** Largest request body; default 16 MiB (a payload may be up to 2 MB, a request carries many). */
  readonly maxBodyBytes?: number;
}

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void;

const DEFAULT_MAX_BODY = 16 * 1024 * 1024;

class HttpError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

async function readBody(req: http.IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) throw new HttpError(413, `request body over ${limit} bytes`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

function json(res: http.ServerResponse, status: number, body: unknown, headers: http.OutgoingHttpHeaders = {}): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers }).end(JSON.stringify(body));
}

const headerText = (value: string | string[] | undefined): string | undefined =>
  Array.isArray(value) ? value.join(', ') : value;

/** Handles every request it is given: encode, decode, CORS preflight, or an error status. */
export function createCodecEndpoint(options: CodecEndpointOptions): RequestHandler {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const anyOrigin = options.corsOrigins.includes('*');
  const allowed = (origin: string): boolean => anyOrigin || options.corsOrigins.includes(origin);
  const log = options.log ?? (() => undefined);
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!allowed(origin)) return json(res, 403, { error: `origin ${origin} is not allowed` });
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('access-control-expose-headers', 'WWW-Authenticate');
      res.setHeader('vary', 'Origin');
    }
    // A preflight carries no credentials: it is how the browser asks whether it may send the Authorization header.
    if (req.method === 'OPTIONS') {
      res.setHeader('access-control-allow-methods', 'POST, OPTIONS');
      res.setHeader(
        'access-control-allow-headers',
        req.headers['access-control-request-headers'] ?? 'Content-Type, X-Namespace, Authorization',
      );
      res.setHeader('access-control-max-age', '600');
      res.writeHead(204).end();
      return;
    }
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (req.method === 'GET' && path === '/healthz') return json(res, 200, { status: 'ok' });
    const action = path.replace(/\/+$/, '').split('/').pop();
    if (action !== 'encode' && action !== 'decode')
      return json(res, 404, { error: 'not found: POST .../encode or .../decode' });
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
    const namespace = headerText(req.headers['x-namespace']);
    const record = { method: req.method, path, namespace };
    const access = checkAccess(options.auth, headerText(req.headers.authorization), namespace, action);
    if (!access.ok) {
      log(codecRequestLine({ ...record, credential: access.credential, status: access.status, reason: access.error }));
      const headers = access.wwwAuthenticate ? { 'www-authenticate': access.wwwAuthenticate } : {};
      json(res, access.status, { error: access.error }, headers);
      req.resume();
      return;
    }
    let payloads: number | undefined;
    const answer = (status: number, body: unknown, reason?: string): void => {
      const line: CodecRequestRecord = { ...record, credential: access.credential, payloads, status, reason };
      log(codecRequestLine(line));
      json(res, status, body);
    };
    readBody(req, limit)
      .then(async (body) => {
        let parsed: unknown;
        try {
          parsed = JSON.parse(body);
        } catch {
          throw new HttpError(400, 'the body is not JSON');
        }
        const request = PayloadsJsonSchema.safeParse(parsed);
        if (!request.success)
          throw new HttpError(400, `expected { "payloads": [{ "metadata": {...}, "data": "<base64>" }] }`);
        payloads = request.data.payloads.length;
        const decoded = request.data.payloads.map(fromPayloadJson);
        let result;
        try {
          result = await (action === 'encode' ? options.codec.encode(decoded) : options.codec.decode(decoded));
        } catch (err) {
          throw new HttpError(422, (err as Error).message);
        }
        answer(200, { payloads: result.map(toPayloadJson) });
      })
      .catch((err: unknown) => {
        const known = err instanceof HttpError;
        const message = known ? err.message : 'internal error';
        answer(known ? err.status : 500, { error: known ? err.message : (err as Error).message }, message);
      });
  };
}
