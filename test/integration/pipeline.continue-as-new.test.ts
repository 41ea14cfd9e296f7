/**
 * Continue-as-new, both ways it happens (workflows/pipeline.ts, `wantsContinueAsNew`): because the server suggests
 * it (`workflowInfo().continueAsNewSuggested`; the test run's dev server suggests it at 600 events, see
 * temporal-setup.ts), and because history reached the run's own `historyEventLimit`. Either way the run drains its
 * running nodes first, so across the whole chain of runs every node is scheduled exactly once.
 */
import type { PipelineRunOptions } from '../../src/engine/run-input';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness } from '../helpers/temporal';
import { startPipeline, type PipelineHandle } from '../helpers/runs';

/** The dev server's `limit.historyCount.suggestContinueAsNew` (temporal-setup.ts). */
const SUGGESTED_AT = 600;
/**
 * Events a run may add after the trigger while its running nodes drain: with parallelism 20, each of up to 20
 * activities completes (started + completed) and the workflow task it wakes takes three events.
 */
const DRAIN_EVENTS = 150;
/** A run that has not ended by then is stuck (a node lost across continue-as-new never completes). */
const RESULT_TIMEOUT_MS = 25_000;

let h: TemporalHarness;
beforeAll(async () => {
  h = await connectHarness('can');
  await h.startWorker();
});
afterAll(() => h.close());

/**
 * `layers` layers of `width` sleep nodes of 20 to 100 ms; each node of a layer needs two nodes of the layer
 * before. The sleeps keep nodes running whenever continue-as-new becomes due, so each run has to drain them.
 */
function wideDag(layers: number, width: number) {
  const nodes = [];
  for (let l = 0; l < layers; l++)
    for (let w = 0; w < width; w++)
      nodes.push({
        id: `n${l}-${w}`,
        type: 'sleep',
        params: { duration: `${20 + ((l * 7 + w * 3) % 5) * 20}ms` },
        needs: l === 0 ? [] : [`n${l - 1}-${w}`, `n${l - 1}-${(w + 1) % width}`],
      });
  return { name: 'wide', defaults: { parallelism: 20 }, nodes };
}

interface Generation {
  readonly runId: string;
  readonly events: number;
  /** How the run ended: its last event's attributes key, e.g. `workflowExecutionContinuedAsNewEventAttributes`. */
  readonly end: string;
  /** Event id of the first workflow task started with the server's suggestion to continue as new. */
  readonly suggestedAt?: number;
  /** Event ids of the run's WorkflowTaskStarted events (a task's `historyLength` is its started event's id). */
  readonly taskStarts: number[];
  /** The run's ActivityTaskScheduled events: event id and activity id, in order. */
  readonly scheduled: Array<{ eventId: number; activityId: string }>;
  /** Event ids of the run's ActivityTaskCompleted events. */
  readonly completed: number[];
}

type History = Awaited<ReturnType<PipelineHandle['fetchHistory']>>;

const CONTINUED = 'workflowExecutionContinuedAsNewEventAttributes';
const COMPLETED = 'workflowExecutionCompletedEventAttributes';

/** Every run of the workflow, from the first, following `newExecutionRunId` of each ContinuedAsNew event. */
async function runChain(handle: PipelineHandle): Promise<Generation[]> {
  const chain: Generation[] = [];
  let runId: string | undefined = handle.firstExecutionRunId;
  while (runId !== undefined && chain.length < 50) {
    const history: History = await h.client.workflow.getHandle(handle.workflowId, runId).fetchHistory();
    const events = history.events ?? [];
    const id = (e: (typeof events)[number]) => Number(e.eventId);
    const last = events[events.length - 1];
    chain.push({
      runId,
      events: events.length,
      end: Object.keys(last ?? {}).find((k) => k.endsWith('EventAttributes') && last?.[k as keyof typeof last]) ?? '',
      suggestedAt: events.filter((e) => e.workflowTaskStartedEventAttributes?.suggestContinueAsNew).map(id)[0],
      taskStarts: events.filter((e) => e.workflowTaskStartedEventAttributes).map(id),
      scheduled: events.flatMap((e) => {
        const activityId = e.activityTaskScheduledEventAttributes?.activityId;
        return activityId ? [{ eventId: id(e), activityId }] : [];
      }),
      completed: events.filter((e) => e.activityTaskCompletedEventAttributes).map(id),
    });
    runId = last?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
  return chain;
}

/** ActivityTaskScheduled events per node across `chain`: an activity id's `#n` execution suffix is dropped. */
function schedulesPerNode(chain: readonly Pick<Generation, 'scheduled'>[]): Map<string, number> {
  const perNode = new Map<string, number>();
  for (const g of chain)
    for (const { activityId } of g.scheduled) {
      const node = activityId.replace(/#\d+$/, '');
      perNode.set(node, (perNode.get(node) ?? 0) + 1);
    }
  return perNode;
}

/**
 * Checks that a run that continued as new drained: nothing was scheduled once it was due (`dueAt`, the event id
 * of the workflow task that saw the trigger), every activity it scheduled completed in it, and some did after
 * `dueAt` (so the test saw a drain, not a run that happened to be idle).
 */
function expectDrained(g: Generation, dueAt: number | undefined): void {
  expect(dueAt).toBeDefined();
  const after = (ids: number[]) => ids.filter((e) => e > (dueAt ?? 0)).length;
  expect({
    scheduledAfterDue: after(g.scheduled.map((s) => s.eventId)),
    unfinished: g.scheduled.length - g.completed.length,
  }).toEqual({
    scheduledAfterDue: 0,
    unfinished: 0,
  });
  expect(after(g.completed)).toBeGreaterThan(0);
}

/** Runs the DAG to completion and checks what must hold however it continued as new; returns the chain of runs. */
async function runAcrossGenerations(options: PipelineRunOptions): Promise<Generation[]> {
  const dag = wideDag(30, 10);
  const handle = await startPipeline(h.client, h.taskQueue, dag, options);
  let timer: NodeJS.Timeout | undefined;
  const result = await Promise.race([
    handle.result(),
    new Promise<undefined>((resolve) => (timer = setTimeout(() => resolve(undefined), RESULT_TIMEOUT_MS))),
  ]).finally(() => clearTimeout(timer));
  if (result === undefined) await handle.terminate('stuck: did not complete in time');
  const chain = await runChain(handle);

  // Every run but the last continued as new; the last completed (a stuck run was terminated above).
  expect(chain.map((g) => g.end)).toEqual(chain.map((_, i) => (i < chain.length - 1 ? CONTINUED : COMPLETED)));
  // Each node scheduled exactly once across all runs (a re-execution's `#n` suffix counts as the same node).
  const perNode = schedulesPerNode(chain);
  expect([...perNode].filter(([, n]) => n !== 1)).toEqual([]);
  expect([...perNode.keys()].sort()).toEqual(dag.nodes.map((n) => n.id).sort());
  expect(chain.reduce((sum, g) => sum + g.scheduled.length, 0)).toBe(dag.nodes.length);

  const status = result?.status;
  expect(status?.state).toBe('completed');
  expect(status?.counts.succeeded).toBe(dag.nodes.length);
  expect(status?.nodes.filter((n) => n.state !== 'succeeded' || n.attempts !== 1)).toEqual([]);
  expect(status?.generation).toBeGreaterThan(1);
  expect(status?.generation).toBe(chain.length);
  return chain;
}

// Needs the test run's own dev server: one given by TEMPORAL_ADDRESS suggests continue-as-new at its own count
// (4 Ki events by default), more than this whole DAG's ~1,300 events.
const onOwnDevServer = process.env.TEMPORAL_ADDRESS ? test.skip : test;

onOwnDevServer(
  'without historyEventLimit, the run continues as new when the server suggests it',
  async () => {
    const chain = await runAcrossGenerations({});
    // Each run but the last got the suggestion at 600 events, drained its running nodes and continued as new: it
    // ends a little after 600 events, with no backstop set and well before the whole DAG's events.
    for (const g of chain.slice(0, -1)) {
      // The suggestion comes with the first workflow task that starts once history has reached 600 events; how far
      // past 600 that is depends on how many completions arrived together (up to the parallelism), not on the run.
      expect(g.suggestedAt).toBeGreaterThanOrEqual(SUGGESTED_AT);
      expect(g.suggestedAt).toBe(g.taskStarts.find((id) => id >= SUGGESTED_AT));
      expect(g.events).toBeGreaterThan(SUGGESTED_AT);
      expect(g.events).toBeLessThan(SUGGESTED_AT + DRAIN_EVENTS);
      expectDrained(g, g.suggestedAt);
    }
    expect(chain[0]?.events).toBeLessThan(SUGGESTED_AT + DRAIN_EVENTS);
  },
  60_000,
);

test('with historyEventLimit below the suggestion, the run continues as new at the limit', async () => {
  const limit = 250;
  const chain = await runAcrossGenerations({ historyEventLimit: limit });
  // Each run but the last continued as new a little after `limit` events, never having had the suggestion.
  for (const g of chain.slice(0, -1)) {
    expect(g.suggestedAt).toBeUndefined();
    expect(g.events).toBeGreaterThan(limit);
    expect(g.events).toBeLessThan(limit + DRAIN_EVENTS);
    expectDrained(
      g,
      g.taskStarts.find((e) => e >= limit),
    );
  }
  expect(chain[0]?.events).toBeLessThan(limit + DRAIN_EVENTS);
  // Runs of about `limit` events: a 300-node DAG needs several.
  expect(chain.length).toBeGreaterThanOrEqual(4);
}, 60_000);

test('the per-node count catches a node scheduled again in a later run, under its own or a fresh activity id', () => {
  const counts = (chain: string[][]) =>
    Object.fromEntries(
      schedulesPerNode(
        chain.map((ids) => ({ scheduled: ids.map((activityId, eventId) => ({ eventId, activityId })) })),
      ),
    );
  expect(counts([['a', 'b'], ['c']])).toEqual({ a: 1, b: 1, c: 1 });
  expect(
    counts([
      ['a', 'b'],
      ['b', 'c'],
    ]),
  ).toEqual({ a: 1, b: 2, c: 1 });
  expect(
    counts([
      ['a', 'b#2'],
      ['b', 'c#3'],
    ]),
  ).toEqual({ a: 1, b: 2, c: 1 });
});
