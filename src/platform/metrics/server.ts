/**
 * The worker's HTTP endpoints: `/metrics` (pipewright's registry followed by the Temporal SDK's own metrics),
 * `/healthz` (the process is alive) and `/readyz` (connected to Temporal and polling).
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Registry } from 'prom-client';

export interface MetricsServerOptions {
  readonly host: string;
  readonly port: number;
  readonly registry: Registry;
  readonly isReady: () => boolean;
  /** Where the SDK's Prometheus exporter listens (Runtime telemetry), appended to /metrics. */
  readonly sdkMetricsUrl?: string;
}

export interface MetricsServer {
  readonly url: string;
  close(): Promise<void>;
}

async function sdkMetrics(url: string | undefined): Promise<string> {
  if (!url) return '';
  try {
    const res = await fetch(url, { signal: AbortSignal.timeout(2_000) });
    return res.ok ? `\n${await res.text()}` : '';
  } catch {
    return '';
  }
}

export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0];
    if (path === '/healthz') {
      res.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    } else if (path === '/readyz') {
      const ready = options.isReady();
      res.writeHead(ready ? 200 : 503, { 'content-type': 'text/plain' }).end(ready ? 'ready\n' : 'not ready\n');
    } else if (path === '/metrics') {
      Promise.all([options.registry.metrics(), sdkMetrics(options.sdkMetricsUrl)]).then(
        ([own, sdk]) => res.writeHead(200, { 'content-type': options.registry.contentType }).end(own + sdk),
        (err: unknown) => res.writeHead(500).end(String(err)),
      );
    } else {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found: try /metrics, /healthz or /readyz\n');
    }
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, resolve);
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://${options.host === '0.0.0.0' ? '127.0.0.1' : options.host}:${port}`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}
