/** The public-data example (vega-datasets airports and routes) runs end to end and its totals match the files. */
import fs from 'node:fs';
import path from 'node:path';
import { loadDefinitionFile } from '../../../src/client/definition-file';
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startDataHarness('example')));
afterAll(async () => env?.close());

const root = path.join(__dirname, '../../..');
const csvRows = (file: string): string[][] =>
  fs
    .readFileSync(path.join(root, 'node_modules/vega-datasets/data', file), 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map(splitFields);

/** Fields of one line; these files quote some names (`"Baton Rouge Metropolitan, Ryan"`) but hold no line breaks. */
function splitFields(line: string): string[] {
  const out: string[] = [];
  let field = '';
  let quoted = false;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quoted && c === '"' && line[i + 1] === '"') {
      field += '"';
      i++;
    } else if (c === '"') quoted = !quoted;
    else if (c === ',' && !quoted) {
      out.push(field);
      field = '';
    } else field += c;
  }
  out.push(field);
  return out;
}

test('examples/airports-routes.yaml loads departures per state that agree with the source files', async () => {
  const definition = loadDefinitionFile(path.join(root, 'examples/airports-routes.yaml')) as {
    nodes: { id: string; params: Record<string, unknown> }[];
  };
  // Into this test's schema instead of public; the input paths are relative to the repository root.
  const table = `${env.db.schema}.state_departures`;
  for (const n of definition.nodes) {
    if (n.id === 'load') n.params.table = table;
    if (typeof n.params.path === 'string') n.params.path = path.join(root, n.params.path);
  }
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition);
  const result = (await handle.result()) as PipelineResult;
  expect(result.status.state).toBe('completed');

  // The same aggregate computed here from the raw files.
  const stateOf = new Map(
    csvRows('airports.csv')
      .filter((a) => a[4] === 'USA' && a[3] !== '')
      .map((a) => [a[0], a[3]]),
  );
  const expected = new Map<string, number>();
  for (const [origin, , count] of csvRows('flights-airport.csv')) {
    const state = stateOf.get(origin ?? '');
    if (state) expected.set(state, (expected.get(state) ?? 0) + Number(count));
  }
  const rows = await env.db.rows<{ state: string; departures: string; label: string }>(
    `SELECT state, departures::text, label FROM ${table}`,
  );
  expect(new Map(rows.map((r) => [r.state, Number(r.departures)]))).toEqual(expected);
  expect(rows.find((r) => r.state === 'GA')?.label).toMatch(/^GA: \d+$/);
  expect(nodeOf(result.status, 'airports').output?.stats?.rowsRead).toBe(3376);
  expect(nodeOf(result.status, 'load').output?.stats?.rowsWritten).toBe(rows.length);
});
