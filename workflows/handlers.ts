/**
 * The run's message handlers: the status query, the pause and resume signals, and the setPaused update, which returns
 * the status once the change has taken effect. Deterministic.
 */
import { condition, setHandler } from '@temporalio/workflow';
import {
  failRunUpdate,
  pauseSignal,
  resumeSignal,
  retryNodeUpdate,
  setPausedUpdate,
  skipNodeUpdate,
  statusQuery,
} from '../src/engine/messages';
import { builtinDescription } from '../src/model/nodes/builtin-table';
import { PAUSE_MODES, type PauseMode, type RunStatus } from '../src/model/state';
import type { RunTracker } from './run-tracker';
import type { RunningNodes } from './running-nodes';

export function handleMessages(run: RunTracker, nodes: RunningNodes, now: () => string): void {
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
  handleOperatorUpdates(run, nodes, now);
}

/** Updates that repair a held run: retry a held node, skip it, or fail the run. */
function handleOperatorUpdates(run: RunTracker, nodes: RunningNodes, now: () => string): void {
  /** Taken effect: the scheduler has passed since (the node started, or its dependents did), or the run ended. */
  const afterPass = async (): Promise<RunStatus> => {
    const pass = run.passes;
    await condition(() => run.passes > pass || run.ended());
    return run.status();
  };
  setHandler(
    retryNodeUpdate,
    async ({ nodeId, params }) => {
      run.retry(nodeId, params);
      return afterPass();
    },
    {
      validator: (args) => {
        const refused = run.refusalFor(args?.nodeId);
        if (refused) throw new Error(refused);
        if (args.params === undefined) return;
        if (typeof args.params !== 'object' || args.params === null || Array.isArray(args.params))
          throw new Error('params must be an object, as in the definition');
        // Built-in types are checked here; a worker's own types when the node starts (InvalidNodeParams).
        const description = builtinDescription(run.nodes.node(args.nodeId).type);
        const parsed = description?.params.safeParse(args.params);
        if (parsed && !parsed.success)
          throw new Error(
            `params of node "${args.nodeId}": ${parsed.error.issues.map((i) => `${i.path.join('.') || '(root)'}: ${i.message}`).join('; ')}`,
          );
      },
    },
  );
  setHandler(
    skipNodeUpdate,
    async ({ nodeId, as }) => {
      run.skip(nodeId, as ?? 'skipped', now());
      return afterPass();
    },
    {
      validator: (args) => {
        const refused = run.refusalFor(args?.nodeId);
        if (refused) throw new Error(refused);
        if (args.as !== undefined && args.as !== 'skipped' && args.as !== 'succeeded')
          throw new Error(`skip as "${String(args.as)}"? use "skipped" or "succeeded"`);
      },
    },
  );
  setHandler(
    failRunUpdate,
    async () => {
      if (run.failHeld(now())) nodes.cancelAll('fail-fast');
      await condition(() => run.ended());
      return run.status();
    },
    {
      validator: () => {
        if (run.ended()) throw new Error(`the run has already ended (${run.state()})`);
      },
    },
  );
}
