/**
 * What `status`, `status --watch` and the Web UI's current details show of a partitioned node: partitions done,
 * running and failed as counts, the failed ones by index and name, and rows summed over the partitions (done ones
 * from the status, running ones from their heartbeats).
 */
import type { PartitionProgress } from '../../src/data/partitions/types';
import type { NodeStatus, RunStatus } from '../../src/model/state';
import { RowRates } from '../../src/cli/rates';
import { renderNodeTable, renderStatus } from '../../src/cli/render';
import { renderDetails } from '../../workflows/details';
import { countNodeStates } from '../../src/model/state';
import { nodeStatus, runStatus, STATUS_T0 } from './../helpers/run-status';

const T0 = Date.parse(STATUS_T0);
const progress = (over: Partial<PartitionProgress> = {}): PartitionProgress => ({
  kind: 'glob',
  count: 200,
  fingerprint: 'f',
  done: 120,
  running: 4,
  failed: 1,
  completed: [[0, 120]],
  failures: [
    { index: 124, name: 'data/2024-125.csv', message: 'node "read": input file data/2024-125.csv: bad\nmore' },
  ],
  stats: { read: { rowsRead: 6000 }, load: { rowsWritten: 6000 } },
  ...over,
});

const running = (): RunStatus => {
  const nodes: NodeStatus[] = [
    nodeStatus('read', { type: 'source.csv', state: 'running', startedAt: STATUS_T0, partitions: progress() }),
    nodeStatus('load', { type: 'sink.postgres', state: 'running', startedAt: STATUS_T0 }),
  ];
  return runStatus(nodes, { counts: countNodeStates(nodes) });
};

test('the node table has a partitions column: done of all, running and failed', () => {
  const table = renderNodeTable(running());
  expect(table).toMatch(/partitions/);
  expect(table).toMatch(/read\s+running.*120\/200 \(4 running, 1 failed\)/);
});

test('status lists the failed partitions by index and name', () => {
  const text = renderStatus('wf-1', running(), T0 + 1000);
  expect(text).toContain('failed partitions:');
  expect(text).toContain(
    'read: partition 125 of 200 (data/2024-125.csv) failed: node "read": input file data/2024-125.csv: bad',
  );
  expect(text).not.toContain('more');
});

test('the Web UI details show the partition counts, rows so far and failed partitions', () => {
  const s = running();
  const details = renderDetails({ ...s, nodes: s.nodes });
  expect(details).toContain('`read` (source.csv: 120 of 200 partitions done, 4 running, 1 failed; 6000 rows)');
  expect(details).toContain('- read: partition 125 of 200 (data/2024-125.csv) failed');
});

test('live rows of a partitioned node add its done partitions to its running ones, so they only grow', () => {
  const rates = new RowRates();
  const s = running();
  const at = (ms: number) => new Date(T0 + ms);
  rates.update(s, [{ nodeId: 'load', rows: 150, at: at(1000), attempt: 1 }]);
  expect(rates.of(s.nodes[1] as NodeStatus)?.rows).toBe(6150);
  // One partition finished (its 50 rows now in the status), the others went on.
  const later = running();
  const read = later.nodes[0] as NodeStatus;
  const next = {
    ...later,
    nodes: [
      { ...read, partitions: progress({ stats: { load: { rowsWritten: 6050 } } }) },
      later.nodes[1] as NodeStatus,
    ],
  };
  rates.update(next, [{ nodeId: 'load', rows: 180, at: at(2000), attempt: 1 }]);
  const r = rates.of(next.nodes[1] as NodeStatus);
  expect(r?.rows).toBe(6230);
  expect(r?.perSecond).toBe(80);
});
