/** Turns errors of the Temporal client into the client's own errors, with the context a person needs. */
import { WorkflowNotFoundError } from '@temporalio/common';
import { TemporalUnreachableError } from './errors';

const GRPC_UNAVAILABLE = 14;
const GRPC_DEADLINE_EXCEEDED = 4;

/** The gRPC status code of an error or of one of its causes. */
export function grpcCode(err: unknown): number | undefined {
  for (let e = err, depth = 0; e && depth < 5; e = (e as { cause?: unknown }).cause, depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'number') return code;
  }
  return undefined;
}

export const isDeadlineExceeded = (err: unknown): boolean => grpcCode(err) === GRPC_DEADLINE_EXCEEDED;
export const isNotFound = (err: unknown): boolean => err instanceof WorkflowNotFoundError;

export function reasonOf(err: unknown): string {
  const cause = (err as { cause?: unknown }).cause;
  const details = (cause as { details?: unknown } | undefined)?.details;
  if (typeof details === 'string' && details) return details;
  return err instanceof Error ? err.message : String(err);
}

/** Unreachable servers become {@link TemporalUnreachableError}; everything else passes through. */
export function mapTemporalError(err: unknown, address: string): unknown {
  if (err instanceof TemporalUnreachableError) return err;
  if (grpcCode(err) === GRPC_UNAVAILABLE) return new TemporalUnreachableError(address, reasonOf(err));
  return err;
}
