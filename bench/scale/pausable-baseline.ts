/**
 * The hand-written baseline of the pause scenario: one node, and the interpreter's `setPaused` update reduced to
 * what it must do. A drain pause only stops new nodes from starting (there are none to start); an immediate pause
 * cancels the running node and returns once it has stopped, and resume starts it again from the checkpoint it
 * reported. Deterministic: bundled into the bench worker's workflow code.
 */
import { CancellationScope, condition, isCancellation, setHandler } from '@temporalio/workflow';
import { setPausedUpdate } from '../../src/engine/messages';
import type { RunStatus } from '../../src/model/state';
import { cancelCheckpoint } from '../../workflows/failures';
import { nodeActivity, type HandWrittenDagInput } from '../dag/baseline-workflow';

export async function handWrittenPausable(input: HandWrittenDagInput): Promise<{ ran: number }> {
  const runNode = nodeActivity(input);
  const node = input.nodes[0];
  if (!node) return { ran: 0 };
  let paused = false;
  let running: CancellationScope | undefined;
  let starts = 0;
  let checkpoint: unknown;
  setHandler(setPausedUpdate, async ({ paused: pause, mode }) => {
    const before = starts;
    paused = pause;
    if (pause && mode === 'immediate') {
      running?.cancel();
      await condition(() => running === undefined);
    } else if (!pause) await condition(() => starts > before || running !== undefined);
    // The interpreter returns its whole status; this returns what a caller checks.
    return { paused } as unknown as RunStatus;
  });
  for (;;) {
    await condition(() => !paused);
    const scope = new CancellationScope();
    running = scope;
    starts += 1;
    try {
      await scope.run(() => runNode(node, {}, checkpoint, `${node.id}#${starts}`));
      return { ran: 1 };
    } catch (err) {
      if (!isCancellation(err)) throw err;
      checkpoint = cancelCheckpoint(err);
    } finally {
      running = undefined;
    }
  }
}
