/**
 * What `transform.geo` costs in a chain, same run: a generated FeatureCollection of FEATURES points with five
 * properties (`generate-geojson.ts`) read by pipewright's data path in this process (the `source.geojson` reader
 * and source checks, COPY text, one COPY; no Temporal, ledger or staging) (a) straight into a table, (b) through
 * the `transform.geo` stage with one `buffer` of 1000 m (32-gon polygons) and (c) with buffer, area and reproject to
 * EPSG:3857. Also the stage alone (no COPY). Best of ROUNDS. Run: `npm run bench:geo-transform` (FEATURES=100000).
 */
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeCopyText } from '../../src/data/formats/copy-text';
import { readGeojsonFile } from '../../src/data/formats/geojson-source';
import type { RowChunk } from '../../src/data/rows/batch';
import { SourceChecks } from '../../src/data/rows/source-checks';
import type { TransformStage } from '../../src/data/rows/stream';
import { columnDefinitions } from '../../src/data/tables/staging';
import { compileGeoPlan } from '../../src/data/transforms/geo-plan';
import { rowStage } from '../../src/data/transforms/row-stage';
import { TransformGeoParams } from '../../src/model/nodes/transform-geo';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { writeFeatureCollection } from './generate-geojson';
import { POINT_COLUMNS, POINT_PROPERTIES, withGeoScratch } from './scratch';

const FEATURES = Number(process.env.FEATURES ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCHEMA = `bench_geo_transform_${process.pid}`;
const URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

const PROPERTIES = POINT_PROPERTIES;
const COLUMNS = POINT_COLUMNS;

const VARIANTS: Record<string, unknown[] | undefined> = {
  'pass-through (no transform.geo)': undefined,
  'transform.geo buffer 1000 m': [{ op: 'buffer', distance: 1000 }],
  'transform.geo buffer + area + reproject 3857': [
    { op: 'buffer', distance: 1000 },
    { op: 'area' },
    { op: 'reproject', to: 3857 },
  ],
};

const stageOf = (operations: unknown[]): TransformStage => {
  const plan = compileGeoPlan(TransformGeoParams.parse({ operations }).operations, COLUMNS);
  return rowStage({ nodeId: 'geo', columns: plan.columns, maxRejects: 0, addsText: false, fn: plan.apply });
};

async function* checkedChunks(file: string): AsyncGenerator<RowChunk> {
  const checks = new SourceChecks('read', COLUMNS, 0);
  const chunks = readGeojsonFile(file, {
    layout: 'collection',
    id: false,
    properties: PROPERTIES,
    geometry: { srid: 4326, kind: 'Point', z: false },
  });
  for await (const chunk of chunks) yield checks.apply(chunk);
}

/** Loads through the stage (or none); returns the ms taken and the ms spent in the stage. */
async function load(client: pg.ClientBase, file: string, table: string, operations?: unknown[]) {
  const stage = operations ? stageOf(operations) : undefined;
  await client.query(`CREATE TABLE ${table} (${columnDefinitions(stage?.columns ?? COLUMNS)})`);
  let inStage = 0;
  async function* text(): AsyncGenerator<string> {
    for await (let c of checkedChunks(file)) {
      if (stage) {
        const t = performance.now();
        c = await stage.apply(c);
        inStage += performance.now() - t;
      }
      yield encodeCopyText(c.rows, c.clean);
    }
  }
  const t0 = performance.now();
  await pipeline(Readable.from(text()), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
  return { ms: performance.now() - t0, inStage };
}

async function main(): Promise<void> {
  await withGeoScratch(URL, SCHEMA, async ({ dir, client }) => {
    const file = path.join(dir, 'points.geojson');
    writeFeatureCollection(file, 'points', FEATURES);
    const rate = (ms: number) => Math.round(FEATURES / (ms / 1000));
    console.log(`${FEATURES} point features into PostGIS, in-process data path, best of ${ROUNDS}:`);
    for (const [name, operations] of Object.entries(VARIANTS)) {
      let best = { ms: Infinity, inStage: Infinity };
      for (let r = 0; r < ROUNDS; r++) {
        const table = `${SCHEMA}.t_${Object.keys(VARIANTS).indexOf(name)}_${r}`;
        const m = await load(client, file, table, operations);
        const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows as [{ n: number }];
        if (n !== FEATURES) throw new Error(`${name}: loaded ${n} of ${FEATURES}`);
        await client.query(`DROP TABLE ${table}`);
        if (m.ms < best.ms) best = m;
      }
      const stage = operations ? `; stage alone ${best.inStage.toFixed(0)} ms, ${rate(best.inStage)} features/s` : '';
      console.log(`  ${name.padEnd(46)} ${best.ms.toFixed(0).padStart(6)} ms  ${rate(best.ms)} features/s${stage}`);
    }
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
