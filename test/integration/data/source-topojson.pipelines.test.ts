/**
 * source.topojson -> sink.postgres on real PostGIS: vega-datasets' world-110m.json (`countries`, a collection of 177
 * polygons and multipolygons, and `land`, one multipolygon) loads equal to `ogr2ogr -f PostgreSQL` of the same file
 * (GDAL's TopoJSON driver), feature by feature (ids, ST_Equals and ST_HausdorffDistance below 1e-9); a small
 * topology with properties, a null geometry and a broken arc reference loads with its reject; a file that is not
 * TopoJSON and an unknown object fail non-retryably naming node, file and what to do.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import type { DataHarness } from '../../helpers/data-harness';
import { runToEnd, startGeoHarness, VEGA_DATA } from '../../helpers/geo-runs';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => (env = await startGeoHarness('topojson')));
afterAll(async () => env?.close());

const WORLD = path.join(VEGA_DATA, 'world-110m.json');

const run = (definition: object) => runToEnd(env, definition);
const load = (name: string, file: string, table: string, params: object) =>
  run({
    name,
    nodes: [
      { id: 'read', type: 'source.topojson', params: { path: file, ...params } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true, spatialIndex: true } },
    ],
  });
const ogr2ogr = (file: string, layer: string, table: string) =>
  execFileSync('ogr2ogr', [
    '-f',
    'PostgreSQL',
    'PG:host=127.0.0.1 user=postgres dbname=postgres',
    file,
    layer,
    '-nln',
    table,
    '-lco',
    'GEOMETRY_NAME=geom',
  ]);

/** Pairs of (ours, theirs) with the same id and geometries equal; each side must pair exactly once. */
async function matchFeatures(ours: string, theirs: string): Promise<{ n: number; unmatched: unknown[] }> {
  const rows = await env.db.rows<{ side: string; id: string; matches: number }>(
    `WITH a AS (SELECT row_number() OVER () AS k, id::text AS id, geom FROM ${ours}),
          b AS (SELECT ogc_fid AS k, id::text AS id, ST_SetSRID(geom, 4326) AS geom FROM ${theirs}),
          m AS (SELECT a.k AS ak, b.k AS bk FROM a JOIN b ON a.id IS NOT DISTINCT FROM b.id
                 WHERE ST_Equals(a.geom, b.geom) AND ST_HausdorffDistance(a.geom, b.geom) < 1e-9)
     SELECT 'ours' AS side, a.id, (SELECT count(*)::int FROM m WHERE m.ak = a.k) AS matches FROM a
     UNION ALL
     SELECT 'theirs', b.id, (SELECT count(*)::int FROM m WHERE m.bk = b.k) FROM b`,
  );
  // ids repeat (-99 for three territories), so a feature may meet a twin; each must still pair with exactly one.
  return { n: rows.filter((r) => r.side === 'ours').length, unmatched: rows.filter((r) => r.matches !== 1) };
}

test('world-110m countries and land load equal to ogr2ogr of the same TopoJSON file', async () => {
  const ours = `${env.db.schema}.countries`;
  const result = await load('topojson-countries', WORLD, ours, { object: 'countries', idColumn: 'id' });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 177, rowsRejected: 0 });
  const [type] = await env.db.rows<{ id: string; geom: string }>(
    `SELECT format_type(a.atttypid, a.atttypmod) AS geom,
            (SELECT format_type(atttypid, atttypmod) FROM pg_attribute WHERE attrelid = a.attrelid AND attname = 'id') AS id
     FROM pg_attribute a WHERE a.attrelid = $1::regclass AND a.attname = 'geom'`,
    [ours],
  );
  expect(type).toEqual({ id: 'integer', geom: 'geometry(Geometry,4326)' });
  const theirs = `${env.db.schema}.countries_ogr`;
  ogr2ogr(WORLD, 'countries', theirs);
  const countries = await matchFeatures(ours, theirs);
  expect(countries.n).toBe(177);
  expect(countries.unmatched).toEqual([]);

  const land = `${env.db.schema}.land`;
  const landResult = await load('topojson-land', WORLD, land, { object: 'land' });
  expect(landResult.status.state).toBe('completed');
  // GDAL names the layer of a topology's lone (non-collection) geometry "TopoJSON".
  ogr2ogr(WORLD, 'TopoJSON', `${env.db.schema}.land_ogr`);
  const [l] = await env.db.rows<{ n: number; equal: boolean; kind: string }>(
    `SELECT count(*)::int AS n, bool_and(ST_Equals(a.geom, ST_SetSRID(b.geom, 4326))
            AND ST_HausdorffDistance(a.geom, ST_SetSRID(b.geom, 4326)) < 1e-9) AS equal, min(GeometryType(a.geom)) AS kind
     FROM ${land} a CROSS JOIN ${env.db.schema}.land_ogr b`,
  );
  expect(l).toEqual({ n: 1, equal: true, kind: 'MULTIPOLYGON' });
});

const SMALL = {
  type: 'Topology',
  arcs: [
    [
      [0, 0],
      [1, 0],
      [1, 1],
      [0, 1],
      [0, 0],
    ],
    [
      [2, 2],
      [3, 3],
    ],
  ],
  objects: {
    shapes: {
      type: 'GeometryCollection',
      geometries: [
        { type: 'Polygon', arcs: [[0]], id: 'a', properties: { name: 'square', rank: 1 } },
        { type: null, id: 'b', properties: { name: 'nothing', rank: 2 } },
        { type: 'Point', coordinates: [5, 5], id: 'c', properties: { name: 'dot', rank: 3 } },
        { type: 'LineString', arcs: [~1], id: 'd', properties: { name: null, rank: 4 } },
        { type: 'Polygon', arcs: [[7]], id: 'e', properties: { name: 'broken', rank: 5 } },
        { type: 'Point', coordinates: [200, 5], id: 'f', properties: { name: 'far', rank: 6 } },
      ],
    },
    other: { type: 'Point', coordinates: [0, 0] },
  },
};

test('properties become columns, a null geometry is NULL, a bad arc or coordinate is a reject naming the feature', async () => {
  const file = env.file('small.topojson', JSON.stringify(SMALL));
  const table = `${env.db.schema}.small`;
  const result = await load('topojson-small', file, table, { object: 'shapes', idColumn: 'fid', maxRejects: 2 });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 6, rowsRejected: 2 });
  const rows = await env.db.rows(`SELECT fid, name, rank, ST_AsText(geom) AS wkt FROM ${table} ORDER BY rank`);
  expect(rows).toEqual([
    { fid: 'a', name: 'square', rank: 1, wkt: 'POLYGON((0 0,1 0,1 1,0 1,0 0))' },
    { fid: 'b', name: 'nothing', rank: 2, wkt: null },
    { fid: 'c', name: 'dot', rank: 3, wkt: 'POINT(5 5)' },
    { fid: 'd', name: null, rank: 4, wkt: 'LINESTRING(3 3,2 2)' },
  ]);
  const rejects = await env.db.rejects(result.workflowId);
  expect(rejects.map((r) => [r.lineNo, r.reason])).toEqual([
    [5, 'feature 4 (id "e"): arc index 7 is not in the topology (it has 2 arcs)'],
    [6, expect.stringMatching(/^feature 5 \(id "f"\): geometry: Point: \[200, 5\] is out of range for SRID 4326/)],
  ]);
});

test('a file that is not TopoJSON, or an object it does not have, fails non-retryably saying what to do', async () => {
  const fail = async (file: string, params: object) => {
    const handle = await startPipeline(env.h.client, env.h.taskQueue, {
      name: 'topojson-bad',
      defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
      nodes: [{ id: 'read', type: 'source.topojson', params: { path: file, ...params } }],
    });
    const failure = await failureOf(handle.result());
    const status = (await handle.query('status')) as PipelineResult['status'];
    return { text: failure.message, node: nodeOf(status, 'read') };
  };
  const geojson = await fail(path.join(VEGA_DATA, 'earthquakes.json'), {});
  expect(geojson.text).toMatch(
    /node "read": input file .*earthquakes\.json: is not TopoJSON: its "type" must be "Topology" \(found "FeatureCollection"\); for a GeoJSON file use source\.geojson/,
  );
  expect(geojson.node).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  const notJson = await fail(env.file('broken.topojson', '{"type":"Topology","arcs":['), {});
  expect(notJson.text).toMatch(/broken\.topojson: is not JSON \(.*\); a TopoJSON file is one JSON Topology object/);
  const unknown = await fail(WORLD, { object: 'states' });
  expect(unknown.text).toMatch(/world-110m\.json: has no object "states"; set object to one of: "land", "countries"/);
  expect(unknown.node).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  const several = await fail(WORLD, {});
  expect(several.text).toMatch(/world-110m\.json: holds several objects; set object to one of: "land", "countries"/);
});
