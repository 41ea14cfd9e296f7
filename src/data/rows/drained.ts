/** Waiting on a writable stream's backpressure. */
import type { Writable } from 'node:stream';

/**
 * Resolves once `stream` has drained, errored or closed, whichever comes first; the caller checks for a failure
 * afterwards. Never rejects, so a stream that dies while the caller waits cannot leave it hanging.
 */
export function drained(stream: Writable): Promise<void> {
  return new Promise<void>((resolve) => {
    const settle = (): void => {
      stream.off('drain', settle);
      stream.off('error', settle);
      stream.off('close', settle);
      resolve();
    };
    stream.on('drain', settle).on('error', settle).on('close', settle);
  });
}
