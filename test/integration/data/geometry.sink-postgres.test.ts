/**
 * The geometry column type on real PostGIS: the worker's hex EWKB is byte for byte what PostGIS itself makes of the
 * same GeoJSON (every kind, holes, multi-parts, empty collections, Z); a pipeline loads GeoJSON geometries from
 * NDJSON into a created `geometry(Kind, SRID)` table with a GiST index, values that are not geometries the column
 * holds become rejects with the reason; and a database without PostGIS fails the node non-retryably with the fix.
 */
import fs from 'node:fs';
import pg from 'pg';
import type { PipelineResult } from '../../../src/engine/run-input';
import { geojsonToEwkbHex } from '../../../src/data/geo/wkb';
import { decodeEwkbHex } from '../../../src/data/geo/wkb-decode';
import { requirePostgis } from '../../../src/data/geo/postgis';
import { InputError } from '../../../src/platform/errors';
import { DEFAULT_DATABASE_URL } from '../../../src/platform/config/config';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { nodeOf, startPipeline } from '../../helpers/runs';
import { ensurePostgis } from '../../helpers/postgis';
import { EVERY_KIND } from '../../helpers/geojson-fixtures';

let env: DataHarness;
beforeAll(async () => {
  env = await startDataHarness('geom');
  await ensurePostgis(env.db.pool);
});
afterAll(async () => env?.close());

const run = async (definition: object): Promise<PipelineResult & { workflowId: string }> => {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition);
  return { ...((await handle.result()) as PipelineResult), workflowId: handle.workflowId };
};

const GEOMETRIES: Array<{ g: object; z?: boolean }> = [
  ...EVERY_KIND.map((g) => ({ g })),
  { g: { type: 'Point', coordinates: [-122.4, 37.8, 12.5] }, z: true },
  { g: { type: 'LineString', coordinates: [] } },
  { g: { type: 'MultiPolygon', coordinates: [] } },
];

test('hex EWKB from the worker is byte for byte what PostGIS makes of the same GeoJSON', async () => {
  for (const { g, z } of GEOMETRIES) {
    const ours = geojsonToEwkbHex(g, { srid: 4326, z: z ?? false });
    const [theirs] = await env.db.rows<{ hex: string; equal: boolean }>(
      `SELECT encode(ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON($1), 4326), 'NDR'), 'hex') AS hex`,
      [JSON.stringify(g)],
    );
    expect({ g, hex: ours }).toEqual({ g, hex: theirs?.hex });
  }
});

test('the decoder reads the EWKB of PostGIS, in either byte order, as the GeoJSON it was made from', async () => {
  for (const { g } of GEOMETRIES) {
    const [theirs] = await env.db.rows<{ ndr: string; xdr: string }>(
      `SELECT encode(ST_AsEWKB(geom, 'NDR'), 'hex') AS ndr, encode(ST_AsEWKB(geom, 'XDR'), 'hex') AS xdr
         FROM (SELECT ST_SetSRID(ST_GeomFromGeoJSON($1), 4326) AS geom) g`,
      [JSON.stringify(g)],
    );
    expect({ g, ...decodeEwkbHex(theirs?.ndr as string) }).toEqual({ g, geometry: g, srid: 4326 });
    expect({ g, ...decodeEwkbHex(theirs?.xdr as string) }).toEqual({ g, geometry: g, srid: 4326 });
  }
});

test('GeoJSON geometries load into a created geometry(Kind, SRID) table with a GiST index; misfits are rejects', async () => {
  const table = `${env.db.schema}.places`;
  const lines = [
    { id: 1, geom: { type: 'Point', coordinates: [13.4, 52.52] } },
    { id: 2, geom: { type: 'Point', coordinates: [2.35, 48.86] } },
    { id: 3, geom: null },
    {
      id: 4,
      geom: {
        type: 'LineString',
        coordinates: [
          [0, 0],
          [1, 1],
        ],
      },
    },
    { id: 5, geom: { type: 'Point', coordinates: [200, 10] } },
    { id: 6, geom: { type: 'Point', coordinates: ['x', 10] } },
    { id: 7, geom: { type: 'Feature', geometry: null } },
    { id: 8, geom: '{"type":"Point","coordinates":[-74.0,40.7]}' },
  ];
  const file = env.file('places.ndjson', lines.map((l) => JSON.stringify(l)).join('\n') + '\n');
  const result = await run({
    name: 'geom-places',
    nodes: [
      {
        id: 'read',
        type: 'source.ndjson',
        params: {
          path: file,
          columns: [
            { name: 'id', type: 'int' },
            { name: 'geom', type: 'geometry', kind: 'Point' },
          ],
          maxRejects: 10,
        },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['read'],
        params: { table, createTable: true, spatialIndex: true },
      },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 8, rowsRejected: 4 });
  const rows = await env.db.rows<{ id: number; wkt: string | null; srid: number | null }>(
    `SELECT id, ST_AsText(geom) AS wkt, ST_SRID(geom) AS srid FROM ${table} ORDER BY id`,
  );
  expect(rows).toEqual([
    { id: 1, wkt: 'POINT(13.4 52.52)', srid: 4326 },
    { id: 2, wkt: 'POINT(2.35 48.86)', srid: 4326 },
    { id: 3, wkt: null, srid: null },
    { id: 8, wkt: 'POINT(-74 40.7)', srid: 4326 },
  ]);
  const [type] = await env.db.rows<{ type: string }>(
    `SELECT format_type(atttypid, atttypmod) AS type FROM pg_attribute WHERE attrelid = $1::regclass AND attname = 'geom'`,
    [table],
  );
  expect(type?.type).toBe('geometry(Point,4326)');
  const indexes = await env.db.rows<{ def: string }>(
    `SELECT indexdef AS def FROM pg_indexes WHERE schemaname = $1 AND tablename = 'places'`,
    [env.db.schema],
  );
  expect(indexes.map((i) => i.def)).toEqual([expect.stringMatching(/USING gist \(geom\)/)]);
  const reasons = (await env.db.rejects(result.workflowId)).map((r) => r.reason);
  expect(reasons).toEqual([
    'column geom: a LineString in a column of Point',
    expect.stringMatching(/^column geom: Point: \[200, 10\] is out of range for SRID 4326/),
    expect.stringMatching(/^column geom: Point: coordinates must be finite numbers/),
    'column geom: not a GeoJSON geometry type: "Feature"',
  ]);
  fs.rmSync(file);
});

test('a database without PostGIS fails non-retryably, saying how to get it', async () => {
  const name = `${env.db.schema}_nogis`;
  await env.db.pool.query(`CREATE DATABASE ${name}`);
  const url = new URL(process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL);
  url.pathname = `/${name}`;
  const pool = new pg.Pool({ connectionString: url.toString(), max: 1 });
  try {
    const err = await requirePostgis(pool, 'load', [
      { name: 'geom', type: 'geometry', emptyIsNull: false, nullable: true },
    ])
      .then(() => undefined)
      .catch((e: unknown) => e as Error);
    expect(err).toBeInstanceOf(InputError);
    expect(err?.name).toBe('PostgisMissing');
    expect(err?.message).toMatch(
      /node "load": geometry column geom needs PostGIS; PostGIS 3\.\S+ is available but not created/,
    );
    expect(err?.message).toMatch(/CREATE EXTENSION postgis/);
    // Columns without geometry need nothing.
    await requirePostgis(pool, 'load', [{ name: 'id', type: 'int', emptyIsNull: false, nullable: true }]);
  } finally {
    await pool.end();
    await env.db.pool.query(`DROP DATABASE ${name}`);
  }
});
