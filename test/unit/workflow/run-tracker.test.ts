/** The run's state machine on its own: starts, outcomes of activities, failure policies, pause, the end, carrying. */
import type { RunNodeResult } from '../../../src/engine/contract';
import type { NodeError } from '../../../src/model/state';
import { validateDefinition } from '../../../src/model/validate';
import { RunTracker } from '../../../workflows/run-tracker';
import type { Unit } from '../../../workflows/units';

const T0 = '2026-01-01T00:00:00.000Z';
const T1 = '2026-01-01T00:00:05.000Z';

function tracker(definition: unknown, parallelism = 8): RunTracker {
  const r = validateDefinition(definition);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return new RunTracker(r.definition, { parallelism, now: T0 });
}

const ok = (output = {}): RunNodeResult => ({ output, attempt: 1 });
const error: NodeError = { type: 'Boom', message: 'boom', nonRetryable: true };
const states = (run: RunTracker) => Object.fromEntries(run.status().nodes.map((n) => [n.id, n.state]));

/** read -> map -> write fuse into one unit; `side` runs on its own; `after` needs write. */
const chain = (onFailure?: 'continue') => ({
  name: 'chain',
  defaults: onFailure ? { onFailure } : {},
  nodes: [
    { id: 'read', type: 'source.csv', params: { path: 'in.csv' } },
    { id: 'map', type: 'transform.map', needs: ['read'], params: { drop: ['x'] } },
    { id: 'write', type: 'sink.postgres', needs: ['map'], params: { table: 't' } },
    { id: 'side', type: 'sleep', params: { duration: '1s' } },
    { id: 'after', type: 'noop', needs: ['write'] },
  ],
});

test('starts ready units in definition order, a fused chain as one unit, within the free slots', () => {
  const run = tracker(chain());
  expect(run.startReady(1, T0)).toEqual([{ key: 'read', members: ['read', 'map', 'write'] }]);
  expect(states(run)).toMatchObject({ read: 'running', map: 'running', write: 'running', side: 'pending' });
  expect(run.startReady(5, T0).map((u) => u.key)).toEqual(['side']);
  expect(run.startReady(5, T0)).toEqual([]);
  const [unit] = run.startReady(0, T0);
  expect(unit).toBeUndefined();
});

test('the activity input names the chain, its inputs, its checkpoint and the last node retry policy', () => {
  const run = tracker(chain());
  const [unit] = run.startReady(1, T0) as [Unit];
  const input = run.activityInput(unit, { workflowId: 'w', runId: 'r' });
  expect(input).toMatchObject({ workflowId: 'w', runId: 'r', pipeline: { name: 'chain', version: '1' } });
  expect(input.node.id).toBe('read');
  expect(input.chain?.map((n) => n.id)).toEqual(['read', 'map', 'write']);
  expect(input.retry).toEqual(run.optionsOf(unit).retry);
  expect(run.executions(unit)).toBe(1);
});

test('a succeeded chain records each member output; its dependents become ready', () => {
  const run = tracker(chain());
  const [unit] = run.startReady(1, T0) as [Unit];
  const before = run.version;
  run.succeeded(unit, { ...ok({ stats: { rows: 3 } }), outputs: { read: { stats: { rowsRead: 3 } } } }, T1);
  expect(run.version).toBeGreaterThan(before);
  const status = run.status();
  expect(status.nodes.find((n) => n.id === 'read')?.output).toEqual({ stats: { rowsRead: 3 } });
  expect(status.nodes.find((n) => n.id === 'write')?.output).toEqual({ stats: { rows: 3 } });
  expect(run.startReady(5, T1).map((u) => u.key)).toEqual(['side', 'after']);
});

test('a failure inside a fused chain blames the culprit, fails those before it and skips the rest', () => {
  const run = tracker(chain('continue'));
  const [unit] = run.startReady(1, T0) as [Unit];
  expect(run.failed(unit, { error, attempts: 2, nodeId: 'map' }, T1)).toBe(false);
  const byId = new Map(run.status().nodes.map((n) => [n.id, n]));
  expect(byId.get('map')).toMatchObject({ state: 'failed', error, attempts: 2 });
  expect(byId.get('read')).toMatchObject({ state: 'failed', error: { type: 'FusedNodeFailed' } });
  expect(byId.get('write')?.state).toBe('pending');
  run.skipUnreachable(T1);
  expect(states(run)).toMatchObject({ write: 'skipped', after: 'skipped', side: 'pending' });
  expect(run.draining()).toBe(false);
});

test('a failure the activity did not attribute is the first node of the unit', () => {
  const run = tracker(chain('continue'));
  const [unit] = run.startReady(1, T0) as [Unit];
  run.failed(unit, { error }, T1);
  expect(states(run)).toMatchObject({ read: 'failed', map: 'pending', write: 'pending' });
});

test('fail-fast: the first failure asks to cancel the running nodes, once; the run is then done and failed', () => {
  const run = tracker(chain());
  const [unit, side] = run.startReady(5, T0) as [Unit, Unit];
  expect(run.failed(unit, { error, nodeId: 'write' }, T1)).toBe(true);
  expect(run.draining()).toBe(true);
  expect(run.mayContinueAsNew()).toBe(false);
  run.interrupted(side, 'fail-fast', undefined, T1);
  expect(run.failed(side, { error }, T1)).toBe(false);
  expect(run.isDone()).toBe(true);
  expect(run.outcome()).toBe('failed');
  run.finish('failed', T1);
  expect(states(run)).toMatchObject({ write: 'failed', after: 'skipped' });
  expect(run.state()).toBe('failed');
  expect(run.ended()).toBe(true);
});

test('an immediate pause asks to cancel running nodes, which go back to pending with their checkpoint', () => {
  const run = tracker(chain());
  const [unit] = run.startReady(1, T0) as [Unit];
  expect(run.pause('immediate')).toBe(true);
  expect(run.state()).toBe('paused');
  expect(run.draining()).toBe(true);
  run.interrupted(unit, 'pause', { batch: 3 }, T1);
  expect(states(run)).toMatchObject({ read: 'pending', map: 'pending', write: 'pending' });
  // A later interruption without a checkpoint keeps the one reported before.
  run.interrupted(unit, 'pause', undefined, T1);
  expect(run.activityInput(unit, { workflowId: 'w', runId: 'r' }).checkpoint).toEqual({ batch: 3 });
  expect(run.mayHaveStaging()).toBe(true);
  run.resume();
  expect(run.state()).toBe('running');
  const [again] = run.startReady(1, T1) as [Unit];
  expect(run.executions(again)).toBe(2);
  run.succeeded(again, ok(), T1);
  expect(run.activityInput(again, { workflowId: 'w', runId: 'r' }).checkpoint).toBeUndefined();
});

test('a drain pause does not cancel; nodes cancelled with the run end cancelled, even after a pause', () => {
  const run = tracker(chain());
  const [unit, side] = run.startReady(5, T0) as [Unit, Unit];
  expect(run.pause('drain')).toBe(false);
  run.finish('cancelled', T1);
  run.interrupted(unit, 'run-cancelled', undefined, T1);
  run.interrupted(side, 'pause', { sleptMs: 1 }, T1);
  expect(states(run)).toMatchObject({ read: 'cancelled', side: 'cancelled', after: 'cancelled' });
  expect(run.status()).toMatchObject({ state: 'cancelled', endedAt: T1 });
  expect(run.durationMs(T1)).toBe(5_000);
});

test('a run ends completed with pending nodes skipped, and carries its state into the next generation', () => {
  const run = tracker(chain());
  const [unit] = run.startReady(1, T0) as [Unit];
  run.passed();
  run.succeeded(unit, { ...ok(), staged: true }, T1);
  run.pause('drain');
  const carried = run.carry();
  expect(carried).toMatchObject({ generation: 1, startedAt: T0, paused: true, pauseMode: 'drain', staged: true });
  const r = validateDefinition(chain());
  if (!r.ok) throw new Error('invalid');
  const next = new RunTracker(r.definition, { parallelism: 8, now: T1, carried });
  expect(next.generation).toBe(2);
  expect(next.startedAt).toBe(T0);
  expect(next.status().nodes).toEqual(run.status().nodes);
  expect(next.state()).toBe('paused');
  next.resume();
  const units = next.startReady(8, T1);
  expect(units.map((u) => u.key)).toEqual(['side', 'after']);
  for (const u of units) next.succeeded(u, ok(), T1);
  expect(next.isDone()).toBe(true);
  expect(next.outcome()).toBe('completed');
  next.finish('completed', T1);
  expect(next.status().counts).toMatchObject({ succeeded: 5, pending: 0 });
});

test('the details show the run state and the running nodes', () => {
  const run = tracker(chain());
  run.startReady(1, T0);
  expect(run.details()).toContain('**chain@1**: running');
  expect(run.details()).toContain('`read` (source.csv)');
});
