/** What a picture shows: a definition's nodes and chains, a run's states and details, chains of a run. */
import { chainsOf, graphOfDefinition } from '../../../src/graph/model';
import { graphOfRun } from '../../../src/cli/run-graph';
import { FAILED_PART_4, chained, failedFanoutRun, fanout } from '../../helpers/graph-fixtures';
import { nodeStatus, runStatus, STATUS_T0 } from '../../helpers/run-status';

test('a definition gives its nodes with types and needs, and the chains the workflow fuses', () => {
  const g = graphOfDefinition(chained());
  expect(g.title).toBe('airports-routes@1');
  expect(g.nodes.map((n) => [n.id, n.type, n.needs])).toEqual([
    ['airports', 'source.csv', []],
    ['us-airports', 'transform.filter', ['airports']],
    ['routes', 'source.csv', []],
    ['by-state', 'transform.sql', ['us-airports', 'routes']],
    ['shares', 'transform.map', ['by-state']],
    ['load', 'sink.postgres', ['shares']],
  ]);
  expect(g.chains).toEqual([
    ['airports', 'us-airports'],
    ['shares', 'load'],
  ]);
  expect(graphOfDefinition(fanout()).chains).toEqual([]);
});

test("a run's chains take cache, fuse and taskQueue from its definition as written", () => {
  const nodes = [
    { id: 'read', type: 'source.csv', needs: [] },
    { id: 'shape', type: 'transform.map', needs: ['read'] },
    { id: 'load', type: 'sink.postgres', needs: ['shape'] },
  ];
  const written = (over: Record<string, unknown>) => ({
    nodes: [{ id: 'read' }, { id: 'shape', ...over }, { id: 'load' }],
  });
  expect(chainsOf(nodes, written({}))).toEqual([['read', 'shape', 'load']]);
  expect(chainsOf(nodes, written({ cache: { ttl: '1h' } }))).toEqual([]);
  expect(chainsOf(nodes, written({ fuse: false }))).toEqual([]);
  expect(chainsOf(nodes, { nodes: [{ id: 'read' }, { id: 'shape' }, { id: 'load', taskQueue: 'db' }] })).toEqual([
    ['read', 'shape'],
  ]);
  // A worker's own node type never fuses, so the definition need not validate here.
  expect(chainsOf([...nodes, { id: 'mine', type: 'my.type', needs: ['load'] }], 'not a definition')).toEqual([
    ['read', 'shape', 'load'],
  ]);
});

test("a run's nodes carry their state, rows and rate, attempts, duration, and a failed node's error clipped", () => {
  const g = graphOfRun('fanout-demo--k1', failedFanoutRun(), { now: Date.parse(STATUS_T0) + 10_000 });
  expect(g.title).toBe('fanout-demo--k1 (fanout-demo@1): failed');
  const byId = new Map(g.nodes.map((n) => [n.id, n]));
  expect(byId.get('extract')).toMatchObject({
    state: 'succeeded',
    details: ['succeeded · 1 attempt · 300ms', '1,200 rows, 4,000/s'],
  });
  const failed = byId.get('part-4');
  expect(failed?.state).toBe('failed');
  expect(failed?.details?.[0]).toBe('failed · 4 attempts · 2.00s');
  expect(failed?.details?.[1]).toBe('Error: flaky partition <b>"4"</b> & more: a…');
  expect(failed?.note).toBe(`Error: ${FAILED_PART_4}`);
  expect(byId.get('join')).toMatchObject({ state: 'skipped', details: ['skipped'] });
});

test('a running node is timed to now and shows the rows its heartbeats reported; a paused run says so', () => {
  const status = runStatus(
    [nodeStatus('load', { state: 'running', attempts: 2, executions: 1, startedAt: STATUS_T0 })],
    { paused: true, pauseMode: 'drain' },
  );
  const g = graphOfRun('demo--k', status, {
    now: Date.parse(STATUS_T0) + 4_000,
    rowsOf: () => ({ rows: 5_000, perSecond: 1_250 }),
  });
  expect(g.title).toBe('demo--k (demo@1): paused');
  expect(g.nodes[0]?.details).toEqual(['running · 2 attempts · 4.00s', '5,000 rows, 1,250/s']);
});
