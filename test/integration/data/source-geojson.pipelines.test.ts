/**
 * source.geojson -> sink.postgres on real PostGIS: a generated FeatureCollection (every geometry kind, polygons with
 * holes, multi-parts, an empty collection, nulls in properties, invalid features) loads with its rejects naming the
 * feature; the same features as a GeoJSON text sequence load identical; and the public earthquakes.json (a week of
 * USGS earthquakes) loads equal to `ogr2ogr -f PostgreSQL` of the same file: count, ids, every attribute, and each
 * geometry by ST_Equals and by an md5 over ST_AsText.
 */
import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import { quoteIdent } from '../../../src/model/identifiers';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { ensurePostgis } from '../../helpers/postgis';
import { EVERY_KIND } from '../../helpers/geojson-fixtures';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => {
  env = await startDataHarness('geojson');
  await ensurePostgis(env.db.pool);
});
afterAll(async () => env?.close());

const EARTHQUAKES = path.join(__dirname, '../../../node_modules/vega-datasets/data/earthquakes.json');

const run = async (definition: object): Promise<PipelineResult & { workflowId: string }> => {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition);
  return { ...((await handle.result()) as PipelineResult), workflowId: handle.workflowId };
};
const load = (name: string, file: string, table: string, params: object = {}) =>
  run({
    name,
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, maxRejects: 100, ...params } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true, spatialIndex: true } },
    ],
  });

const GOOD = [...EVERY_KIND, null];
const BAD: Array<[object, RegExp]> = [
  [{ type: 'Point', coordinates: [190, 0] }, /Point: \[190, 0\] is out of range for SRID 4326/],
  [
    {
      type: 'Polygon',
      coordinates: [
        [
          [0, 0],
          [1, 0],
          [1, 1],
          [0, 1],
        ],
      ],
    },
    /ring must end where it starts/,
  ],
  [{ type: 'Circle', radius: 3 }, /not a GeoJSON geometry type: "Circle"/],
];
const FEATURES = [
  ...GOOD.map((geometry, i) => ({
    type: 'Feature',
    id: `f${i}`,
    properties: { name: i % 3 === 0 ? null : `name ${i}`, rank: i, score: i % 2 === 0 ? i / 4 : null },
    geometry,
  })),
  ...BAD.map(([geometry], i) => ({ type: 'Feature', id: `bad${i}`, properties: { name: 'bad', rank: 99 }, geometry })),
  { type: 'Feature', id: 'nogeom', properties: {} },
];

test('a generated FeatureCollection of every kind loads, invalid features are rejects naming index and id', async () => {
  const file = env.file('mixed.geojson', JSON.stringify({ type: 'FeatureCollection', features: FEATURES }, null, 2));
  const table = `${env.db.schema}.mixed`;
  const result = await load('geojson-mixed', file, table, { idColumn: 'fid' });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 13, rowsRejected: 4 });
  const rows = await env.db.rows<{ fid: string; name: string | null; rank: number; score: string | null; wkt: string }>(
    `SELECT fid, name, rank, score::text, ST_AsText(geom) AS wkt FROM ${table} ORDER BY rank`,
  );
  const expected = await env.db.rows<{ wkt: string | null }>(
    `SELECT ST_AsText(ST_GeomFromGeoJSON(g)) AS wkt FROM unnest($1::text[]) WITH ORDINALITY AS t(g, i) ORDER BY i`,
    [GOOD.map((g) => (g === null ? null : JSON.stringify(g)))],
  );
  expect(rows.map((r) => r.wkt)).toEqual(expected.map((r) => r.wkt));
  expect(rows[0]).toEqual({ fid: 'f0', name: null, rank: 0, score: '0', wkt: 'POINT(13.4 52.52)' });
  expect(rows[1]).toMatchObject({ fid: 'f1', name: 'name 1', score: null });
  const [type] = await env.db.rows<{ t: string }>(
    `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute
    WHERE attrelid = $1::regclass AND attname = 'geom'`,
    [table],
  );
  expect(type?.t).toBe('geometry(Geometry,4326)');
  const reasons = (await env.db.rejects(result.workflowId)).map((r) => r.reason);
  expect(reasons).toEqual([
    ...BAD.map(([, reason], i) =>
      expect.stringMatching(new RegExp(`^feature ${9 + i} \\(id "bad${i}"\\): geometry: .*${reason.source}`)),
    ),
    'feature 12 (id "nogeom"): has no "geometry" member (null is allowed)',
  ]);

  // The same features as a GeoJSON text sequence (RFC 8142, RS before each) load identical.
  const seq = env.file('mixed.geojsons', FEATURES.map((f) => `\u001e${JSON.stringify(f)}\n`).join(''));
  const table2 = `${env.db.schema}.mixed_seq`;
  const result2 = await load('geojson-mixed-seq', seq, table2, { idColumn: 'fid' });
  expect(result2.status.state).toBe('completed');
  const cols = ['fid', 'name', 'rank', 'score', 'geom'];
  expect(await tableChecksum(env.db.pool, table2, cols)).toEqual(await tableChecksum(env.db.pool, table, cols));
});

test('earthquakes.json loads equal to ogr2ogr -f PostgreSQL of the same file', async () => {
  const ours = `${env.db.schema}.earthquakes`;
  const theirs = `${env.db.schema}.earthquakes_ogr`;
  const result = await load('geojson-earthquakes', EARTHQUAKES, ours, { idColumn: 'id', maxRejects: 0 });
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'read').output?.stats).toMatchObject({ rowsRead: 1707, rowsRejected: 0 });
  execFileSync('ogr2ogr', [
    '-f',
    'PostgreSQL',
    'PG:host=127.0.0.1 user=postgres dbname=postgres',
    EARTHQUAKES,
    '-nln',
    theirs,
    '-lco',
    'GEOMETRY_NAME=geom',
  ]);
  const columnsOf = async (t: string) =>
    await env.db.rows<{ name: string; type: string }>(
      `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
       WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
      [t],
    );
  const ourColumns = await columnsOf(ours);
  const theirColumns = await columnsOf(theirs);
  expect(ourColumns.find((c) => c.name === 'geom')?.type).toBe('geometry(PointZ,4326)');
  // ogr2ogr adds ogc_fid and lowercases names as we normalize them; it gives 3D points SRID 4979 (WGS 84 3D).
  expect(theirColumns.find((c) => c.name === 'geom')?.type).toBe('geometry(PointZ,4979)');
  const attributes = ourColumns.map((c) => c.name).filter((n) => n !== 'geom');
  expect(
    theirColumns
      .map((c) => c.name)
      .filter((n) => n !== 'geom' && n !== 'ogc_fid')
      .sort(),
  ).toEqual([...attributes].sort());

  // Per feature: every attribute as text (numbers print the same from numeric and double precision), and the geometry.
  const diff = await env.db.rows(
    `SELECT coalesce(a.id, b.id) AS id, ${attributes.map((n) => `a.${quoteIdent(n)}::text IS DISTINCT FROM b.${quoteIdent(n)}::text AS ${quoteIdent(`d_${n}`)}`).join(', ')},
            NOT ST_Equals(ST_SetSRID(a.geom, 0), ST_SetSRID(b.geom, 0)) OR ST_Z(a.geom) <> ST_Z(b.geom) AS d_geom
     FROM ${ours} a FULL JOIN ${theirs} b ON a.id = b.id`,
  );
  const differing = diff.filter((r) => Object.entries(r).some(([k, v]) => k !== 'id' && v !== false));
  expect(diff).toHaveLength(1707);
  expect(differing).toEqual([]);
  const checksum = (t: string) =>
    env.db.rows<{ n: number; md5: string }>(
      `SELECT count(*)::int AS n, md5(string_agg(id || ' ' || ST_AsText(geom), E'\\n' ORDER BY id)) AS md5 FROM ${t}`,
    );
  const [a] = await checksum(ours);
  expect(a?.n).toBe(1707);
  expect(await checksum(theirs)).toEqual([a]);
  console.log(`earthquakes: ${a?.n} features, md5 over id and ST_AsText(geom) ${a?.md5} (pipewright = ogr2ogr)`);
});

test('a file that is not GeoJSON fails non-retryably, naming the node and the file', async () => {
  const file = env.file('broken.geojson', '{"type":"FeatureCollection","features":[{"type":"Feature",');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'geojson-broken',
    nodes: [
      {
        id: 'read',
        type: 'source.geojson',
        params: { path: file, geometry: { kind: 'Point', z: false }, columns: [{ name: 'a', type: 'text' }] },
      },
    ],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(/node "read"/);
  const cause = JSON.stringify(failure.cause?.cause ?? failure.cause ?? {});
  expect(`${failure.message} ${cause}`).toMatch(
    /broken\.geojson: is not a GeoJSON FeatureCollection: at byte \d+: the file ends inside a record/,
  );
});

test('geometries pass through a staging table (one source, two sinks) unchanged', async () => {
  const a = `${env.db.schema}.quakes_a`;
  const b = `${env.db.schema}.quakes_b`;
  const result = await run({
    name: 'geojson-fanout',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: EARTHQUAKES, idColumn: 'id' } },
      { id: 'a', type: 'sink.postgres', needs: ['read'], params: { table: a, createTable: true } },
      { id: 'b', type: 'sink.postgres', needs: ['read'], params: { table: b, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  const sum = (t: string) =>
    env.db.rows(`SELECT count(*)::int AS n, md5(string_agg(id || ST_AsEWKT(geom), ',' ORDER BY id)) AS md5 FROM ${t}`);
  const [sa] = await sum(a);
  expect(sa).toMatchObject({ n: 1707 });
  expect(await sum(b)).toEqual([sa]);
  const [direct] = await env.db.rows<{ n: number }>(
    `SELECT count(*)::int AS n FROM ${a} JOIN ${env.db.schema}.earthquakes USING (id) WHERE ST_Equals(${a}.geom, earthquakes.geom)`,
  );
  expect(direct?.n).toBe(1707);
});
