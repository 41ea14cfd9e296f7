/**
 * The public CSV birdstrikes.csv (vega-datasets: a header with spaces and `$`, CRLF, 2,836 empty speeds) loads
 * through a pipeline exactly as psql's `\copy ... (FORMAT csv, HEADER true)` loads it into a same-shaped table:
 * the same count and the same checksum, NULLs included, with the header names normalized and none declared by hand.
 */
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import { normalizeHeader } from '../../../src/model/columns/header-names';
import { quoteIdent } from '../../../src/model/identifiers';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { psqlCopy } from '../../helpers/psql-copy';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('birds')));
afterAll(async () => env?.close());

const FILE = path.join(__dirname, '../../../node_modules/vega-datasets/data/birdstrikes.csv');
const HEADER = [
  'Airport Name',
  'Aircraft Make Model',
  'Effect Amount of damage',
  'Flight Date',
  'Aircraft Airline Operator',
  'Origin State',
  'Phase of flight',
  'Wildlife Size',
  'Wildlife Species',
  'Time of day',
  'Cost Other',
  'Cost Repair',
  'Cost Total $',
  'Speed IAS in knots',
];
const NAMES = normalizeHeader(HEADER);
const TYPES: Record<string, string> = {
  flight_date: 'date',
  cost_other: 'int',
  cost_repair: 'int',
  cost_total: 'int',
  speed_ias_in_knots: 'int',
};
const PG: Record<string, string> = { text: 'text', int: 'integer', date: 'date' };

const run = async (definition: object): Promise<PipelineResult> =>
  (await (await startPipeline(env.h.client, env.h.taskQueue, definition)).result()) as PipelineResult;

async function reference(table: string, typed: boolean): Promise<void> {
  const cols = NAMES.map((n) => `${quoteIdent(n)} ${PG[typed ? (TYPES[n] ?? 'text') : 'text']}`).join(', ');
  await env.db.pool.query(`CREATE TABLE ${table} (${cols})`);
  psqlCopy(table, FILE);
}

test('all text, names from the header: identical to \\copy, NULLs included; the renames are in the output', async () => {
  const table = `${env.db.schema}.birds`;
  const result = await run({
    name: 'birdstrikes-text',
    nodes: [
      { id: 'birds', type: 'source.csv', params: { path: FILE } },
      { id: 'load', type: 'sink.postgres', needs: ['birds'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  const birds = nodeOf(result.status, 'birds').output;
  expect(birds?.stats).toMatchObject({ rowsRead: 10_000, rowsRejected: 0, headersRenamed: 14 });
  expect(birds?.value).toEqual({
    renamedHeaders: Object.fromEntries(HEADER.map((h, i) => [h, NAMES[i]])),
  });
  expect((birds?.value as { renamedHeaders: Record<string, string> }).renamedHeaders['Cost Total $']).toBe(
    'cost_total',
  );

  await reference(`${env.db.schema}.birds_ref`, false);
  const expected = await tableChecksum(env.db.pool, `${env.db.schema}.birds_ref`, NAMES);
  expect(expected).toMatchObject({ count: 10_000, nulls: { speed_ias_in_knots: 2836 } });
  expect(await tableChecksum(env.db.pool, table, NAMES)).toEqual(expected);
});

test('declared types matched against the normalized header: identical to \\copy into a typed table', async () => {
  const table = `${env.db.schema}.birds_typed`;
  const columns = NAMES.map((name) => ({ name, type: TYPES[name] ?? 'text' }));
  const result = await run({
    name: 'birdstrikes-typed',
    nodes: [
      { id: 'birds', type: 'source.csv', params: { path: FILE, columns } },
      { id: 'load', type: 'sink.postgres', needs: ['birds'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'birds').output?.stats).toMatchObject({ rowsRead: 10_000, rowsRejected: 0 });

  await reference(`${env.db.schema}.birds_typed_ref`, true);
  const expected = await tableChecksum(env.db.pool, `${env.db.schema}.birds_typed_ref`, NAMES);
  expect(expected.count).toBe(10_000);
  expect(await tableChecksum(env.db.pool, table, NAMES)).toEqual(expected);
});
