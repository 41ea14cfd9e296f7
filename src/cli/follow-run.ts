/**
 * Watches a run to its end with live progress (redrawn in place on a terminal, plain lines otherwise) and a
 * summary; the exit code says how it ended.
 */
import type { PipewrightClient } from '../client/client';
import type { RunOutcome, RunOutcomeKind } from '../client/types';
import type { CliIo } from './context';
import type { ExitCode } from './exit-codes';
import { heldHint } from './held-hint';
import { unpolledLine } from './unpolled';
import { EXIT } from './exit-codes';
import { LiveDisplay } from './live-display';
import type { ProgressView } from './progress';
import { ProgressPrinter } from './progress';
import { renderOutcome } from './render';

export const exitCodeFor = (outcome: RunOutcomeKind): ExitCode =>
  outcome === 'completed' ? EXIT.ok : outcome === 'cancelled' ? EXIT.cancelled : EXIT.failed;

export interface FollowOptions {
  readonly intervalMs?: number;
}

/** A display redrawn in place on a terminal; plain lines otherwise (a pipe, a file, CI logs). */
export const progressViewFor = (io: CliIo): ProgressView =>
  io.terminal ? new LiveDisplay(io.terminal) : new ProgressPrinter((line) => io.out(line));

/** Until the run closes or Ctrl-C (which stops watching, not the run). */
export async function followRun(
  client: PipewrightClient,
  workflowId: string,
  io: CliIo,
  options: FollowOptions = {},
): Promise<ExitCode> {
  const view = progressViewFor(io);
  const abort = new AbortController();
  const onSigint = (): void => abort.abort();
  process.once('SIGINT', onSigint);
  try {
    let outcome: RunOutcome | undefined;
    try {
      const told = new Set<string>();
      const toldUnpolled = new Set<string>();
      let checkedAt = 0;
      outcome = await client.watch(
        workflowId,
        (s, progress) => {
          view.update(s, progress);
          for (const n of s.nodes)
            if (n.state === 'held' && !told.has(n.id)) {
              told.add(n.id);
              io.err(heldHint(workflowId, n.id));
            }
          for (const id of told) if (s.nodes.find((n) => n.id === id)?.state !== 'held') told.delete(id);
          // At most every 2 s: a running node whose activity no worker can pick up.
          if (s.counts.running > 0 && Date.now() - checkedAt > 2_000) {
            checkedAt = Date.now();
            void client
              .unpolledNodes(workflowId)
              .then((waiting) => {
                for (const n of waiting)
                  if (!toldUnpolled.has(n.activityId)) {
                    toldUnpolled.add(n.activityId);
                    io.err(unpolledLine(n));
                  }
              })
              .catch(() => undefined);
          }
        },
        {
          intervalMs: options.intervalMs ?? 250,
          signal: abort.signal,
          progress: true,
        },
      );
    } finally {
      view.finish();
    }
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
