/**
 * The run's message handlers: the status query, the pause and resume signals, and the setPaused update, which returns
 * the status once the change has taken effect. Deterministic.
 */
import { condition, setHandler } from '@temporalio/workflow';
import { pauseSignal, resumeSignal, setPausedUpdate, statusQuery } from '../src/engine/messages';
import { PAUSE_MODES, type PauseMode } from '../src/model/state';
import type { RunTracker } from './run-tracker';
import type { RunningNodes } from './running-nodes';

export function handleMessages(run: RunTracker, nodes: RunningNodes): void {
  const pause = (mode: PauseMode): void => {
    if (run.pause(mode)) nodes.cancelAll('pause');
  };
  setHandler(statusQuery, () => run.status());
  setHandler(pauseSignal, (args) => pause(args?.mode ?? 'drain'));
  setHandler(resumeSignal, () => run.resume());
  setHandler(
    setPausedUpdate,
    async ({ paused, mode }) => {
      const pass = run.passes;
      if (paused) pause(mode ?? 'drain');
      else run.resume();
      // Taken effect: an immediate pause once running nodes are cancelled; a resume once the scheduler ran.
      await condition(() => (paused ? mode !== 'immediate' || nodes.size === 0 : run.passes > pass) || run.ended());
      return run.status();
    },
    {
      validator: (args) => {
        if (typeof args?.paused !== 'boolean')
          throw new Error(
            `setPaused needs { paused: boolean, mode?: ${PAUSE_MODES.map((m) => `"${m}"`).join(' | ')} }`,
          );
        if (args.mode !== undefined && !(PAUSE_MODES as readonly string[]).includes(args.mode))
          throw new Error(
            `unknown pause mode "${String(args.mode)}": use ${PAUSE_MODES.map((m) => `"${m}"`).join(' or ')}`,
          );
        if (run.ended()) throw new Error(`the run has already ended (${run.state()})`);
      },
    },
  );
}
