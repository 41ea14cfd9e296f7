/**
 * TLS in front of the shared plain-text servers, for tests of the clients' TLS settings without reconfiguring
 * anything shared: a TLS-terminating TCP proxy (Temporal gRPC, with ALPN h2), and a Postgres proxy that answers
 * the SSLRequest with "S", then speaks TLS to the client and plain text to the real server.
 */
import net from 'node:net';
import tls from 'node:tls';

export interface TlsProxyOptions {
  readonly upstreamPort: number;
  readonly upstreamHost?: string;
  readonly cert: Buffer;
  readonly key: Buffer;
  /** Require a client certificate signed by this CA (mTLS). */
  readonly clientCa?: Buffer;
}

export interface TlsProxy {
  readonly port: number;
  /** Completed TLS handshakes, and the subject CN of each client certificate ('' without one). */
  readonly sessions: string[];
  /** Handshakes that failed, with the reason. */
  readonly failures: string[];
  close(): Promise<void>;
}

function pipeBoth(a: net.Socket, b: net.Socket): void {
  a.pipe(b);
  b.pipe(a);
  const end = (): void => {
    a.destroy();
    b.destroy();
  };
  a.on('error', end).on('close', end);
  b.on('error', end).on('close', end);
}

function clientName(socket: tls.TLSSocket): string {
  const cn = socket.getPeerCertificate()?.subject?.CN;
  return typeof cn === 'string' ? cn : '';
}

async function listen(server: net.Server): Promise<number> {
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return (server.address() as net.AddressInfo).port;
}

function closer(server: net.Server, sockets: Set<net.Socket>): () => Promise<void> {
  return () =>
    new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

function secureOptions(o: TlsProxyOptions): tls.TlsOptions {
  return {
    cert: o.cert,
    key: o.key,
    ...(o.clientCa ? { ca: o.clientCa, requestCert: true, rejectUnauthorized: true } : {}),
  };
}

/** TLS on the outside, plain TCP to the upstream (Temporal's frontend): gRPC needs ALPN h2. */
export async function startTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const sessions: string[] = [];
  const failures: string[] = [];
  const sockets = new Set<net.Socket>();
  const server = tls.createServer({ ...secureOptions(options), ALPNProtocols: ['h2'] }, (socket) => {
    sessions.push(clientName(socket));
    const upstream = net.connect(options.upstreamPort, options.upstreamHost ?? '127.0.0.1');
    sockets.add(socket).add(upstream);
    pipeBoth(socket, upstream);
  });
  server.on('tlsClientError', (err) => failures.push(err.message));
  return { port: await listen(server), sessions, failures, close: closer(server, sockets) };
}

const SSL_REQUEST_CODE = 80877103;

/** Postgres wire protocol with TLS to the client: SSLRequest answered "S", then TLS; plain text upstream. */
export async function startPostgresTlsProxy(options: TlsProxyOptions): Promise<TlsProxy> {
  const sessions: string[] = [];
  const failures: string[] = [];
  const sockets = new Set<net.Socket>();
  const context = tls.createSecureContext(secureOptions(options));
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.once('data', (first: Buffer) => {
      if (first.length < 8 || first.readInt32BE(4) !== SSL_REQUEST_CODE) {
        failures.push('the client did not ask for TLS');
        socket.destroy();
        return;
      }
      socket.write('S');
      const secure = new tls.TLSSocket(socket, {
        isServer: true,
        secureContext: context,
        requestCert: Boolean(options.clientCa),
        rejectUnauthorized: Boolean(options.clientCa),
      });
      secure.on('error', (err) => {
        failures.push(err.message);
        secure.destroy();
      });
      secure.once('secure', () => {
        sessions.push(clientName(secure));
        const upstream = net.connect(options.upstreamPort, options.upstreamHost ?? '127.0.0.1');
        sockets.add(upstream);
        pipeBoth(secure, upstream);
      });
    });
    socket.on('error', () => socket.destroy());
  });
  return { port: await listen(server), sessions, failures, close: closer(server, sockets) };
}
