/**
 * examples/daily-orders.yaml as a user runs it: each logical date loads the day before into its partition of the
 * orders table; running days again (a backfill done twice) leaves the table as it was.
 */
import path from 'node:path';
import { PipewrightClient } from '../../../src/client/client';
import { loadDefinitionFile } from '../../../src/client/definition-file';
import { createTestData, type TestData } from '../../helpers/data';
import { ROOT } from '../../helpers/paths';
import { connectHarness, type TemporalHarness } from '../../helpers/temporal';

let h: TemporalHarness;
let d: TestData;
let pw: PipewrightClient;
beforeAll(async () => {
  [h, d] = await Promise.all([connectHarness('daily-orders'), createTestData('daily')]);
  await h.startWorker([], { data: d.services });
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
});
afterAll(async () => {
  await h?.close();
  await d?.drop();
});

test('each logical date loads the day before exactly once, however often it runs', async () => {
  const definition = loadDefinitionFile(path.join(ROOT, 'examples', 'daily-orders.yaml'));
  const params = { dir: path.join(ROOT, 'examples', 'data'), schema: d.schema };
  const runDay = async (logicalDate: string): Promise<void> => {
    const run = await pw.start(definition, { params, logicalDate, runKey: `${logicalDate}-${Math.random()}` });
    expect((await pw.result(run.workflowId)).outcome).toBe('completed');
  };
  const table = async () =>
    d.rows<{ day: string; n: string; sum: string }>(
      `SELECT day::text, count(*) n, sum(amount)::text sum FROM "${d.schema}".orders GROUP BY day ORDER BY day`,
    );
  for (const day of ['2024-05-02', '2024-05-03', '2024-05-04']) await runDay(day);
  const once = await table();
  expect(once.map((r) => [r.day, r.n])).toEqual([
    ['2024-05-01', '10'],
    ['2024-05-02', '10'],
    ['2024-05-03', '10'],
  ]);
  for (const day of ['2024-05-03', '2024-05-02']) await runDay(day);
  expect(await table()).toEqual(once);
});
