/** Watches a run to its end with progress lines and a summary; the exit code says how it ended. */
import type { PipewrightClient } from '../client/client';
import type { RunOutcomeKind } from '../client/types';
import type { CliIo } from './context';
import type { ExitCode } from './exit-codes';
import { EXIT } from './exit-codes';
import { ProgressPrinter } from './progress';
import { renderOutcome } from './render';

export const exitCodeFor = (outcome: RunOutcomeKind): ExitCode =>
  outcome === 'completed' ? EXIT.ok : outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed;

export interface FollowOptions {
  readonly intervalMs?: number;
}

/** Until the run closes or Ctrl-C (which stops watching, not the run). */
export async function followRun(
  client: PipewrightClient,
  workflowId: string,
  io: CliIo,
  options: FollowOptions = {},
): Promise<ExitCode> {
  const printer = new ProgressPrinter((line) => io.out(line));
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    const outcome = await client.watch(workflowId, (s) => printer.update(s), {
      intervalMs: options.intervalMs ?? 250,
      signal: abort.signal,
    });
    if (!outcome) {
      io.err(
        `stopped watching; the run goes on: \`pipewright status ${workflowId} --watch\` to follow it, ` +
          `\`pipewright cancel ${workflowId}\` to cancel it`,
      );
      return EXIT.cancelled;
    }
    io.out(renderOutcome(outcome));
    return exitCodeFor(outcome.outcome);
  } finally {
    process.removeListener('SIGINT', onSigint);
  }
}
