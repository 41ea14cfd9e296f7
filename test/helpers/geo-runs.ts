/**
 * What the geometry pipeline tests share: a data harness with PostGIS created, the vega-datasets files they read,
 * and running a definition to its result (with its workflow id, for the rejects).
 */
import path from 'node:path';
import type { PipelineResult } from '../../src/engine/run-input';
import { startDataHarness, type DataHarness } from './data-harness';
import { ensurePostgis } from './postgis';
import { startPipeline } from './runs';

/** vega-datasets' data folder (earthquakes.json, world-110m.json). */
export const VEGA_DATA = path.join(__dirname, '../../node_modules/vega-datasets/data');

/** A data harness whose database has PostGIS. */
export async function startGeoHarness(name: string): Promise<DataHarness> {
  const env = await startDataHarness(name);
  await ensurePostgis(env.db.pool);
  return env;
}

/** Runs `definition` to its end; the result and the workflow id. */
export async function runToEnd(env: DataHarness, definition: object): Promise<PipelineResult & { workflowId: string }> {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition);
  return { ...((await handle.result()) as PipelineResult), workflowId: handle.workflowId };
}
