/**
 * The codec endpoint the Temporal Web UI (and `temporal --codec-endpoint`) calls so operators can read encrypted
 * payloads: POST `.../decode` and `.../encode` with `{ payloads: [...] }` in protobuf JSON, answered in the same
 * shape. Only the last path segment counts, as the protocol asks. Browsers get CORS headers for the allowed
 * origins (the UI's); a request from any other origin is refused. Whoever reaches this endpoint can decrypt:
 * keep it on a private address or behind an authenticating proxy.
 */
import type http from 'node:http';
import type { PayloadCodec } from '@temporalio/common';
import { fromPayloadJson, PayloadsJsonSchema, toPayloadJson } from './payload-json';

export interface CodecEndpointOptions {
  readonly codec: PayloadCodec;
  /** Origins allowed to call from a browser, e.g. `http://localhost:8233`; `*` allows any. */
  readonly corsOrigins: readonly string[];
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

function json(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body));
}

/** Handles every request it is given: encode, decode, CORS preflight, or an error status. */
export function createCodecEndpoint(options: CodecEndpointOptions): RequestHandler {
  const limit = options.maxBodyBytes ?? DEFAULT_MAX_BODY;
  const anyOrigin = options.corsOrigins.includes('*');
  const allowed = (origin: string): boolean => anyOrigin || options.corsOrigins.includes(origin);
  return (req, res) => {
    const origin = req.headers.origin;
    if (origin !== undefined) {
      if (!allowed(origin)) return json(res, 403, { error: `origin ${origin} is not allowed` });
      res.setHeader('access-control-allow-origin', origin);
      res.setHeader('access-control-allow-credentials', 'true');
      res.setHeader('vary', 'Origin');
    }
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
    const action = (req.url ?? '/').split('?')[0]?.replace(/\/+$/, '').split('/').pop();
    if (action !== 'encode' && action !== 'decode')
      return json(res, 404, { error: 'not found: POST .../encode or .../decode' });
    if (req.method !== 'POST') return json(res, 405, { error: 'use POST' });
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
        const payloads = request.data.payloads.map(fromPayloadJson);
        let result;
        try {
          result = await (action === 'encode' ? options.codec.encode(payloads) : options.codec.decode(payloads));
        } catch (err) {
          throw new HttpError(422, (err as Error).message);
        }
        json(res, 200, { payloads: result.map(toPayloadJson) });
      })
      .catch((err: unknown) => {
        json(res, err instanceof HttpError ? err.status : 500, { error: (err as Error).message });
      });
  };
}
