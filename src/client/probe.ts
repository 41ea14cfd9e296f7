/** A quick TCP check before gRPC, which otherwise retries a refused connection until its whole timeout. */
import net from 'node:net';

/** Why `host:port` refuses connections right now, or undefined when it accepts them (or cannot tell). */
export async function refusedReason(address: string, timeoutMs = 2_000): Promise<string | undefined> {
  const match = /^\[?([^\]]+?)\]?:(\d+)$/.exec(address);
  if (!match) return undefined;
  const [, host, port] = match;
  return new Promise((resolve) => {
    const socket = net.connect({ host, port: Number(port) });
    const done = (reason: string | undefined): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => done(undefined));
    socket.once('connect', () => done(undefined));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done(err.code === 'ECONNREFUSED' ? 'connection refused' : err.code === 'ENOTFOUND' ? 'unknown host' : undefined),
    );
  });
}
