/**
 * A TCP proxy the test controls, in front of a real server (Postgres on 127.0.0.1:5432): it logs every
 * connection attempt that reaches it, can add latency, and can be cut (every open connection destroyed, new ones
 * accepted and dropped at once, still logged) and restored. Only 127.0.0.1; stops with `close()`.
 */
import net from 'node:net';

export interface TcpProxy {
  readonly port: number;
  /** Epoch ms of every connection the proxy accepted, cut or not. */
  readonly attempts: readonly number[];
  /** Cuts the link: open connections are destroyed, new ones dropped on arrival. */
  cut(): void;
  restore(): void;
  close(): Promise<void>;
}

export interface TcpProxyOptions {
  readonly targetPort: number;
  readonly targetHost?: string;
  /** Delay added to every chunk the server sends back (order kept): slows each round trip. */
  readonly latencyMs?: number;
}

export async function startTcpProxy(options: TcpProxyOptions): Promise<TcpProxy> {
  const attempts: number[] = [];
  const open = new Set<net.Socket>();
  let isCut = false;
  const server = net.createServer((client) => {
    attempts.push(Date.now());
    if (isCut) {
      client.destroy();
      return;
    }
    const upstream = net.connect(options.targetPort, options.targetHost ?? '127.0.0.1');
    open.add(client);
    open.add(upstream);
    const drop = (): void => {
      client.destroy();
      upstream.destroy();
      open.delete(client);
      open.delete(upstream);
    };
    client.on('error', drop).on('close', drop);
    upstream.on('error', drop).on('close', drop);
    client.pipe(upstream);
    const latency = options.latencyMs ?? 0;
    if (latency <= 0) upstream.pipe(client);
    else {
      // Each chunk leaves `latency` ms after it arrived, never before the one ahead of it.
      let last = 0;
      upstream.on('data', (chunk: Buffer) => {
        const at = Math.max(Date.now() + latency, last);
        last = at;
        setTimeout(() => client.writable && client.write(chunk), at - Date.now());
      });
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as net.AddressInfo).port;
  const cutAll = (): void => {
    for (const s of open) s.destroy();
    open.clear();
  };
  return {
    port,
    attempts,
    cut() {
      isCut = true;
      cutAll();
    },
    restore() {
      isCut = false;
    },
    async close() {
      cutAll();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
