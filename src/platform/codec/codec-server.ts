/**
 * A small HTTP (or HTTPS) server for the codec endpoint: in the worker (`PIPEWRIGHT_CODEC_PORT`) or
 * `pipewright codec-server`. The Web UI passes its users' access tokens only to an `https://` endpoint.
 */
import http from 'node:http';
import https from 'node:https';
import type { AddressInfo } from 'node:net';
import type { CodecEndpointOptions } from './codec-endpoint';
import { createCodecEndpoint } from './codec-endpoint';

export interface CodecServerOptions extends CodecEndpointOptions {
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Serve HTTPS with this certificate and key (PEM). */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
}

export interface CodecServer {
  /** Base URL, e.g. `http://127.0.0.1:8888`; the endpoints are `${url}/codec/decode` and `${url}/codec/encode`. */
  readonly url: string;
  close(): Promise<void>;
}

export async function startCodecServer(options: CodecServerOptions): Promise<CodecServer> {
  const handler = createCodecEndpoint(options);
  const server = options.tls
    ? https.createServer({ cert: options.tls.cert, key: options.tls.key }, handler)
    : http.createServer(handler);
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  const host = options.host === '0.0.0.0' ? '127.0.0.1' : options.host;
  return {
    url: `${options.tls ? 'https' : 'http'}://${host.includes(':') ? `[${host}]` : host}:${port}`,
    close: () =>
      new Promise((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
