/**
 * A first GeoJSON load comparison with GDAL, same run: a generated FeatureCollection of FEATURES points with five
 * properties, loaded (a) by pipewright's data path in this process (the `source.geojson` reader and source checks,
 * COPY text, one COPY into a `geometry(Point, 4326)` table; no Temporal, ledger or staging, so an upper bound for the
 * pipeline) and (b) by `ogr2ogr -f PostgreSQL` with `PG_USE_COPY=YES` and no spatial index, best of ROUNDS each.
 * Run: `npm run bench:geo-ogr` (FEATURES=100000 ROUNDS=3).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { readGeojsonFile } from '../../src/data/formats/geojson-source';
import { encodeCopyText } from '../../src/data/formats/copy-text';
import { SourceChecks } from '../../src/data/rows/source-checks';
import { columnDefinitions } from '../../src/data/tables/staging';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { writeFeatureCollection } from './generate-geojson';
import { POINT_COLUMNS, POINT_PROPERTIES, withGeoScratch } from './scratch';

const FEATURES = Number(process.env.FEATURES ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCHEMA = `bench_geo_ogr_${process.pid}`;
const URL = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;

const PROPERTIES = POINT_PROPERTIES;
const COLUMNS = POINT_COLUMNS;

async function pipewright(client: pg.ClientBase, file: string, table: string): Promise<void> {
  await client.query(`CREATE TABLE ${table} (${columnDefinitions(COLUMNS)})`);
  const checks = new SourceChecks('bench', COLUMNS, 0);
  const chunks = readGeojsonFile(file, {
    layout: 'collection',
    id: false,
    properties: PROPERTIES,
    geometry: { srid: 4326, kind: 'Point', z: false },
  });
  async function* text(): AsyncGenerator<string> {
    for await (const chunk of chunks) {
      const c = checks.apply(chunk);
      yield encodeCopyText(c.rows, c.clean);
    }
  }
  await pipeline(Readable.from(text()), client.query(copyFrom(`COPY ${table} FROM STDIN`)));
}

function ogr2ogr(file: string, table: string): void {
  const u = new globalThis.URL(URL);
  execFileSync('ogr2ogr', [
    '--config',
    'PG_USE_COPY',
    'YES',
    '-f',
    'PostgreSQL',
    `PG:host=${u.hostname} port=${u.port || 5432} user=${u.username || 'postgres'} dbname=${u.pathname.slice(1) || 'postgres'}`,
    file,
    '-nln',
    table,
    '-lco',
    'GEOMETRY_NAME=geom',
    '-lco',
    'SPATIAL_INDEX=NONE',
    '-nlt',
    'POINT',
  ]);
}

async function main(): Promise<void> {
  await withGeoScratch(URL, SCHEMA, async ({ dir, client }) => {
    const file = path.join(dir, 'points.geojson');
    writeFeatureCollection(file, 'points', FEATURES);
    const best = { pipewright: Infinity, ogr2ogr: Infinity };
    for (let r = 0; r < ROUNDS; r++) {
      // Who goes first alternates, so neither always meets a warm cache.
      for (const who of r % 2 === 0 ? (['pipewright', 'ogr2ogr'] as const) : (['ogr2ogr', 'pipewright'] as const)) {
        const table = `${SCHEMA}.${who}_${r}`;
        const t0 = performance.now();
        if (who === 'pipewright') await pipewright(client, file, table);
        else ogr2ogr(file, table);
        const ms = performance.now() - t0;
        const [{ n }] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows as [{ n: number }];
        if (n !== FEATURES) throw new Error(`${who}: loaded ${n} of ${FEATURES}`);
        best[who] = Math.min(best[who], ms);
      }
    }
    const [{ same }] = (
      await client.query(
        `SELECT count(*)::int AS same FROM ${SCHEMA}.pipewright_0 a JOIN ${SCHEMA}.ogr2ogr_0 b ON a.n = b.n AND ST_Equals(a.geom, b.geom) AND a.name = b.name`,
      )
    ).rows as [{ same: number }];
    const mb = (fs.statSync(file).size / 1e6).toFixed(1);
    const rate = (ms: number) => Math.round(FEATURES / (ms / 1000));
    console.log(`${FEATURES} point features, 5 properties (${mb} MB FeatureCollection), best of ${ROUNDS}:`);
    console.log(`  pipewright data path  ${best.pipewright.toFixed(0)} ms  ${rate(best.pipewright)} features/s`);
    console.log(`  ogr2ogr (PG_USE_COPY) ${best.ogr2ogr.toFixed(0)} ms  ${rate(best.ogr2ogr)} features/s`);
    console.log(
      `  ratio (pipewright / ogr2ogr features/s) ${(best.ogr2ogr / best.pipewright).toFixed(2)}x; equal rows ${same}`,
    );
  });
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
