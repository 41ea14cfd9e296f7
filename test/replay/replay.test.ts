/**
 * Recorded histories (test/replay/histories, made by `npm run record:histories`) replay against the current
 * workflow code without nondeterminism. A failure here means a change altered command order: guard it with
 * patched() rather than re-recording.
 */
import fs from 'node:fs';
import path from 'node:path';
import { historyFromJSON } from '@temporalio/common/lib/proto-utils';
import { Worker } from '@temporalio/worker';
import { WORKFLOW_BUNDLE } from '../helpers/paths';

const DIR = path.join(__dirname, 'histories');
const files = fs.readdirSync(DIR).filter((f) => f.endsWith('.json'));

const RECORDED = [
  'fanout-demo',
  'pause-immediate-resume',
  'fail-fast',
  'fused-csv-to-postgres',
  'staging-and-sql',
  'pause-immediate-data-checkpoint',
  'continued-as-new-paused',
  'continued-as-new-final',
  'run-by-reference',
  'cancelled-run',
  'memoized-node',
  'partitioned-glob-to-postgres',
  'partitioned-continued-as-new',
];

test('there are recorded histories to replay', () => {
  expect(files).toEqual(expect.arrayContaining(RECORDED.map((name) => `${name}.json`)));
});

test.each(files)('%s replays without nondeterminism', async (file) => {
  const history = historyFromJSON(JSON.parse(fs.readFileSync(path.join(DIR, file), 'utf8')));
  expect(history.events?.length ?? 0).toBeGreaterThan(10);
  await Worker.runReplayHistory(
    { workflowBundle: { codePath: WORKFLOW_BUNDLE } },
    history,
    file.replace(/\.json$/, ''),
  );
});
