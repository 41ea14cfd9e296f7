/** Rerun planning: what a rerun reuses and what runs again, from the repeated run's final node states. */
import { planRerun, rerunRefusal, type PreviousNode } from '../../../src/model/rerun';
import type { NodeOutput, NodeState } from '../../../src/model/state';
import { validateDefinition } from '../../../src/model/validate';
import { RunTracker } from '../../../workflows/run-tracker';

/**
 * orders -> load_orders (fused: rows straight into the target); customers (staged); report (SQL over both, staged);
 * publish (loads the report into a target); audit runs on its own.
 */
const definition = {
  name: 'rerun-plan',
  nodes: [
    { id: 'orders', type: 'source.csv', params: { path: 'orders.csv' } },
    { id: 'load_orders', type: 'sink.postgres', needs: ['orders'], params: { table: 'public.orders' } },
    { id: 'customers', type: 'source.csv', params: { path: 'customers.csv' } },
    { id: 'report', type: 'transform.sql', needs: ['load_orders', 'customers'], params: { sql: 'select 1' } },
    { id: 'publish', type: 'sink.postgres', needs: ['report'], params: { table: 'public.report' } },
    { id: 'audit', type: 'noop' },
  ],
};
const valid = validateDefinition(definition);
if (!valid.ok) throw new Error(JSON.stringify(valid.problems));
const nodes = valid.definition.nodes;

const table = (location: string): NodeOutput => ({ dataset: { kind: 'table', location, rows: 10 } });
const OUTPUTS: Record<string, NodeOutput> = {
  orders: { stats: { rowsRead: 10 } },
  load_orders: table('public.orders'),
  customers: table('pipewright_staging.s_abc_customers'),
  report: table('pipewright_staging.s_abc_report'),
  publish: table('public.report'),
  audit: {},
};
const previous = (states: Record<string, NodeState>): PreviousNode[] =>
  nodes.map((n) => {
    const state = states[n.id] ?? 'succeeded';
    return { id: n.id, state, ...(state === 'succeeded' ? { output: OUTPUTS[n.id] } : {}) };
  });
const all = () => true;

test('from failure: the failed node and its dependents run; succeeded nodes with their outputs there are reused', () => {
  const plan = planRerun(nodes, previous({ report: 'failed', publish: 'skipped' }), { failure: true }, all);
  expect(plan.run).toEqual(['report', 'publish']);
  expect(Object.keys(plan.reuse)).toEqual(['orders', 'load_orders', 'customers', 'audit']);
  expect(plan.reuse.load_orders).toEqual(OUTPUTS.load_orders);
  expect(plan.reasons).toEqual({});
});

test('a staging table the ended run dropped: the node that made it runs again, the others stay reused', () => {
  const staged = (id: string) => id !== 'customers';
  const plan = planRerun(nodes, previous({ report: 'failed', publish: 'skipped' }), { failure: true }, staged);
  expect(plan.run).toEqual(['customers', 'report', 'publish']);
  expect(plan.reasons.customers).toMatch(
    /output \(table pipewright_staging.s_abc_customers\) is gone, and "report" needs it/,
  );
  expect(Object.keys(plan.reuse)).toEqual(['orders', 'load_orders', 'audit']);
});

test('a fused chain runs again whole: a failed load reruns its source, never one half of the chain', () => {
  const plan = planRerun(
    nodes,
    previous({ orders: 'failed', load_orders: 'failed', report: 'skipped', publish: 'skipped' }),
    { failure: true },
    all,
  );
  expect(plan.run).toEqual(['orders', 'load_orders', 'report', 'publish']);
  // And naming the chain's second node reruns its first.
  const from = planRerun(nodes, previous({}), { node: 'load_orders' }, all);
  expect(from.run).toEqual(['orders', 'load_orders', 'report', 'publish']);
  expect(from.reasons.orders).toBe('fused with "load_orders", which runs again');
});

test('from a node: it and everything downstream run, with what did not succeed; the rest is reused', () => {
  const plan = planRerun(nodes, previous({ audit: 'failed' }), { node: 'report' }, all);
  expect(plan.run).toEqual(['report', 'publish', 'audit']);
  expect(plan.reasons).toEqual({ report: 'named by --from', publish: 'needs "report", which runs again' });
});

test('refusals: an unknown node, and nothing to rerun from', () => {
  expect(rerunRefusal(nodes, previous({}), { node: 'nope' })).toMatch(
    /unknown node "nope"; the pipeline's nodes are orders, load_orders/,
  );
  expect(rerunRefusal(nodes, previous({}), { failure: true })).toMatch(/every node succeeded .* --from <node>/);
  expect(rerunRefusal(nodes, previous({ audit: 'cancelled' }), { failure: true })).toBeUndefined();
});

test('the run tracker starts reused nodes as cached and never schedules them; their outputs feed the rest', () => {
  const plan = planRerun(nodes, previous({ report: 'failed', publish: 'skipped' }), { failure: true }, all);
  const run = new RunTracker(valid.definition, {
    parallelism: 8,
    now: '2026-01-01T00:00:00.000Z',
    reused: plan.reuse,
    rerun: { of: { workflowId: 'old', runId: 'r1' }, ledgers: { report: { workflowId: 'old', runId: 'r1' } } },
  });
  const started = run.startReady(8, '2026-01-01T00:00:00.000Z');
  expect(started.map((u) => u.key)).toEqual(['report']);
  const input = run.activityInput(started[0] as (typeof started)[0], { workflowId: 'new', runId: 'r2' });
  expect(input.inputs).toEqual({ load_orders: OUTPUTS.load_orders, customers: OUTPUTS.customers });
  expect(input.ledgerRun).toEqual({ workflowId: 'old', runId: 'r1' });
  const status = run.status();
  expect(status.rerunOf).toEqual({ workflowId: 'old', runId: 'r1' });
  expect(status.nodes.filter((n) => n.reused).map((n) => [n.id, n.state])).toEqual([
    ['orders', 'cached'],
    ['load_orders', 'cached'],
    ['customers', 'cached'],
    ['audit', 'cached'],
  ]);
  expect(run.details()).toContain('rerun of `old`; reused: `orders`, `load_orders`, `customers`, `audit`');
});
