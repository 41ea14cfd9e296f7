/**
 * transform.geo on real Temporal, Postgres and PostGIS: every operation through source.geojson or source.ndjson ->
 * transform.geo -> sink.postgres, each compared with PostGIS's own function on the same input (ST_Buffer, ST_Area,
 * ST_Length and ST_Perimeter on geography within 0.5%; ST_Transform within 1e-6 m; ST_Centroid, ST_Simplify,
 * ST_Envelope, ST_Within), several operations in one node applied in order, rejects with their reasons, and an
 * unknown EPSG code refused at validation.
 */
import type { PipelineResult } from '../../../src/engine/run-input';
import { startDataHarness, type DataHarness } from '../../helpers/data-harness';
import { ensurePostgis } from '../../helpers/postgis';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';

let env: DataHarness;
beforeAll(async () => {
  env = await startDataHarness('geoxf');
  await ensurePostgis(env.db.pool);
});
afterAll(async () => env?.close());

type Geometry = { type: string; coordinates: unknown };
type Run = PipelineResult & { workflowId: string };

const run = async (definition: object): Promise<Run> => {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, definition);
  return { ...((await handle.result()) as PipelineResult), workflowId: handle.workflowId };
};

const collection = (name: string, features: Array<{ properties: object; geometry: Geometry | null }>): string =>
  env.file(
    name,
    JSON.stringify({ type: 'FeatureCollection', features: features.map((f) => ({ type: 'Feature', ...f })) }),
  );

/** source.geojson -> transform.geo -> sink.postgres (a new table) */
const geoPipeline = (name: string, file: string, table: string, operations: object[], source: object = {}) =>
  run({
    name,
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, ...source } },
      { id: 'geo', type: 'transform.geo', needs: ['read'], params: { operations, maxRejects: 10 } },
      { id: 'load', type: 'sink.postgres', needs: ['geo'], params: { table, createTable: true } },
    ],
  });

const typesOf = async (table: string): Promise<Record<string, string>> => {
  const rows = await env.db.rows<{ name: string; type: string }>(
    `SELECT attname AS name, format_type(atttypid, atttypmod) AS type FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped ORDER BY attnum`,
    [table],
  );
  return Object.fromEntries(rows.map((r) => [r.name, r.type]));
};

const square = (lon: number, lat: number, d: number): number[][] => [
  [lon, lat],
  [lon + d, lat],
  [lon + d, lat + d],
  [lon, lat + d],
  [lon, lat],
];
/** A wiggly ring of n vertices around (lon, lat): enough vertices for simplify to have work to do. */
const wiggly = (lon: number, lat: number, r: number, n: number): number[][] => {
  const ring = Array.from({ length: n }, (_, i) => {
    const a = (2 * Math.PI * i) / n;
    const k = r * (1 + 0.15 * Math.sin(7 * a));
    return [lon + k * Math.cos(a), lat + k * Math.sin(a)];
  });
  return [...ring, ring[0] as number[]];
};
const wigglyLine = (lon: number, lat: number, n: number): number[][] =>
  Array.from({ length: n }, (_, i) => [lon + i * 0.02, lat + 0.05 * Math.sin(i * 0.9) + (i % 3) * 0.004]);

/** Polygons (with a hole, multi-part) and lines at latitudes 0, 45 and 70, north and south, near longitude 15. */
const SHAPES: Geometry[] = [0, 45, 70, -45, -70].flatMap((lat, i) => [
  { type: 'Polygon', coordinates: [square(14, lat, 0.5)] },
  { type: 'Polygon', coordinates: [wiggly(16, lat, 0.3, 90), square(15.9, lat - 0.05, 0.1).reverse()] },
  {
    type: 'MultiPolygon',
    coordinates: [[square(12, lat, 0.2)], [wiggly(13, lat + 0.1, 0.1, 40)]],
  },
  { type: 'LineString', coordinates: wigglyLine(15 - i * 0.1, lat, 60) },
  // A meridian at the equator is where a sphere's length is furthest from the ellipsoid's.
  {
    type: 'LineString',
    coordinates: [
      [15, lat],
      [15, lat + 1],
    ],
  },
  {
    type: 'MultiLineString',
    coordinates: [wigglyLine(17, lat, 20), wigglyLine(18, lat + 0.2, 25)],
  },
]);

test('buffer by metres and by magnitude agrees with ST_Buffer(geography) within 0.5% at latitudes 0, 45, 70', async () => {
  const points = [0, 45, 70, -70, 20, -45].flatMap((lat, i) =>
    [-120, 15, 170].map((lon, j) => ({
      properties: { id: i * 3 + j, mag: 1.5 + ((i + j) % 4) },
      geometry: { type: 'Point', coordinates: [lon, lat] },
    })),
  );
  const file = collection('points.geojson', points);
  const table = `${env.db.schema}.buffers`;
  const result = await geoPipeline('geo-buffer', file, table, [
    { op: 'buffer', distance: 1000, output: 'zone_fixed' },
    { op: 'buffer', input: 'geom', distance: 'mag * 10000', output: 'zone_mag' },
    { op: 'area', input: 'zone_mag', output: 'zone_area' },
  ]);
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'geo').output?.stats).toMatchObject({ rowsIn: 18, rowsOut: 18, rowsRejected: 0 });
  expect(await typesOf(table)).toMatchObject({
    geom: 'geometry(Point,4326)',
    zone_fixed: 'geometry(Polygon,4326)',
    zone_mag: 'geometry(Polygon,4326)',
    zone_area: 'double precision',
  });
  const rows = await env.db.rows<{
    id: number;
    fixed: number;
    mag: number;
    area: number;
    self: number;
    inside: boolean;
  }>(
    `SELECT id,
       ST_Area(zone_fixed::geography) / ST_Area(ST_Buffer(geom::geography, 1000)) AS fixed,
       ST_Area(zone_mag::geography) / ST_Area(ST_Buffer(geom::geography, mag * 10000)) AS mag,
       zone_area / ST_Area(ST_Buffer(geom::geography, mag * 10000)) AS area,
       zone_area / ST_Area(zone_mag::geography) AS self,
       ST_Within(geom, zone_fixed) AND ST_Within(zone_fixed, zone_mag) AS inside
     FROM ${table} ORDER BY id`,
  );
  expect(rows).toHaveLength(18);
  for (const r of rows) {
    expect(Math.abs(r.fixed - 1)).toBeLessThan(0.005);
    expect(Math.abs(r.mag - 1)).toBeLessThan(0.005);
    expect(Math.abs(r.area - 1)).toBeLessThan(0.005);
    expect(Math.abs(r.self - 1)).toBeLessThan(1e-6);
    expect(r.inside).toBe(true);
  }
});

test('area and length equal ST_Area, ST_Length, ST_Perimeter on geography; line and polygon buffers ST_Buffer', async () => {
  const file = collection(
    'shapes.geojson',
    SHAPES.map((geometry, id) => ({ properties: { id }, geometry })),
  );
  const table = `${env.db.schema}.measures`;
  const result = await geoPipeline('geo-measures', file, table, [
    { op: 'area' },
    { op: 'length' },
    // Lines and polygons buffer through Turf (JSTS in an azimuthal equidistant projection), points do not.
    { op: 'buffer', distance: 2000, output: 'zone' },
  ]);
  expect(result.status.state).toBe('completed');
  expect(await typesOf(table)).toMatchObject({ area_m2: 'double precision', length_m: 'double precision' });
  const rows = await env.db.rows<{
    id: number;
    kind: string;
    area: number;
    pg_area: number;
    len: number;
    pg_len: number;
    zone: number;
    utm: boolean;
    zone_aeqd: number;
  }>(
    `SELECT id, GeometryType(geom) AS kind, area_m2 AS area, ST_Area(geom::geography) AS pg_area, length_m AS len,
       CASE WHEN ST_Dimension(geom) = 2 THEN ST_Perimeter(geom::geography) ELSE ST_Length(geom::geography) END AS pg_len,
       ST_Area(zone::geography) / ST_Area(ST_Buffer(geom::geography, 2000)) AS zone,
       _ST_BestSRID(geom::geography) BETWEEN 999001 AND 999060
         OR _ST_BestSRID(geom::geography) BETWEEN 999101 AND 999160 AS utm,
       ST_Area(zone::geography) / ST_Area(ST_Transform(ST_Buffer(ST_Transform(geom, aeqd), 2000), aeqd, 4326)::geography)
         AS zone_aeqd
     FROM ${table},
       LATERAL (SELECT format('+proj=aeqd +lat_0=%s +lon_0=%s +datum=WGS84 +units=m', ST_Y(c), ST_X(c)) AS aeqd
                FROM ST_Centroid(geom) AS c) AS p
     ORDER BY id`,
  );
  expect(rows).toHaveLength(SHAPES.length);
  for (const r of rows) {
    if (r.kind.endsWith('POLYGON')) expect(Math.abs(r.area / r.pg_area - 1)).toBeLessThan(1e-6);
    else expect(r.area).toBe(0);
    expect(Math.abs(r.len / r.pg_len - 1)).toBeLessThan(1e-6);
    // ST_Buffer(geography) buffers in the best SRID for the shape: a UTM zone (good to 0.1%), or north of about 70°
    // polar stereographic, whose scale there is 1.03 (its lines' buffers come out 1.4% small). Where it does not use
    // UTM, the reference is PostGIS's buffer in an ellipsoidal azimuthal equidistant projection centred on the shape.
    expect({ id: r.id, utm: r.utm, zone: Math.abs((r.utm ? r.zone : r.zone_aeqd) - 1) < 0.005 }).toEqual({
      id: r.id,
      utm: r.utm,
      zone: true,
    });
    expect({ id: r.id, zone_aeqd: Math.abs(r.zone_aeqd - 1) < 0.005 }).toEqual({ id: r.id, zone_aeqd: true });
  }
});

test('reproject, centroid, simplify and bbox equal ST_Transform, ST_Centroid, ST_Simplify and ST_Envelope', async () => {
  const south: Geometry[] = [
    { type: 'Point', coordinates: [15.5, -30.25] },
    { type: 'LineString', coordinates: wigglyLine(14, -33, 30) },
  ];
  const file = collection(
    'shapes-xf.geojson',
    [...SHAPES, ...south].map((geometry, id) => ({ properties: { id }, geometry })),
  );
  const table = `${env.db.schema}.transformed`;
  const result = await geoPipeline('geo-reproject', file, table, [
    { op: 'reproject', to: 3857, output: 'merc' },
    { op: 'reproject', input: 'geom', to: 32633, output: 'utm' },
    { op: 'reproject', input: 'geom', to: 32733, output: 'utm_s' },
    { op: 'centroid', input: 'geom', output: 'c' },
    { op: 'simplify', input: 'geom', tolerance: 0.01, highQuality: true, output: 's' },
    { op: 'bbox', input: 'geom' },
  ]);
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'geo').output?.stats).toMatchObject({ rowsRejected: 0 });
  expect(await typesOf(table)).toMatchObject({
    geom: 'geometry(Geometry,4326)',
    merc: 'geometry(Geometry,3857)',
    utm: 'geometry(Geometry,32633)',
    utm_s: 'geometry(Geometry,32733)',
    c: 'geometry(Point,4326)',
    s: 'geometry(Geometry,4326)',
    minx: 'double precision',
  });
  const rows = await env.db.rows<{
    id: number;
    merc: number;
    utm: number;
    utm_s: number;
    same_points: boolean;
    c: number;
    s: boolean;
    simpler: boolean;
    bbox: number;
  }>(
    `SELECT id,
       ST_HausdorffDistance(merc, ST_Transform(geom, 3857)) AS merc,
       ST_HausdorffDistance(utm, ST_Transform(geom, 32633)) AS utm,
       ST_HausdorffDistance(utm_s, ST_Transform(geom, 32733)) AS utm_s,
       ST_NPoints(utm) = ST_NPoints(geom) AS same_points,
       ST_Distance(c, ST_Centroid(geom)) AS c,
       ST_Equals(s, ST_Simplify(geom, 0.01)) AND ST_NPoints(s) = ST_NPoints(ST_Simplify(geom, 0.01)) AS s,
       ST_NPoints(s) < ST_NPoints(geom) OR ST_NPoints(geom) <= 5 AS simpler,
       abs(minx - ST_XMin(ST_Envelope(geom))) + abs(miny - ST_YMin(ST_Envelope(geom)))
         + abs(maxx - ST_XMax(ST_Envelope(geom))) + abs(maxy - ST_YMax(ST_Envelope(geom))) AS bbox
     FROM ${table} ORDER BY id`,
  );
  expect(rows).toHaveLength(SHAPES.length + south.length);
  for (const r of rows) {
    expect({ id: r.id, merc: r.merc < 1e-6, utm: r.utm < 1e-6, utm_s: r.utm_s < 1e-6 }).toEqual({
      id: r.id,
      merc: true,
      utm: true,
      utm_s: true,
    });
    expect(r.same_points).toBe(true);
    expect(r.c).toBeLessThan(1e-9);
    expect({ id: r.id, s: r.s, simpler: r.simpler }).toEqual({ id: r.id, s: true, simpler: true });
    expect(r.bbox).toBe(0);
  }
});

/** A grid of points one degree apart, some on the bbox's and the polygon's boundaries, one with a NULL longitude. */
const GRID = Array.from({ length: 121 }, (_, i) => ({ id: i, lon: -5 + (i % 11), lat: 40 + Math.floor(i / 11) }));
const TRIANGLE = {
  type: 'Polygon',
  coordinates: [
    [
      [-4.5, 40.5],
      [5.5, 41],
      [0.2, 49.7],
      [-4.5, 40.5],
    ],
  ],
};
const ndjsonPipeline = (name: string, table: string, operations: object[]) =>
  run({
    name,
    nodes: [
      {
        id: 'read',
        type: 'source.ndjson',
        params: {
          path: env.file(
            `${name}.ndjson`,
            [...GRID, { id: 999, lon: null, lat: 45 }].map((r) => JSON.stringify(r)).join('\n') + '\n',
          ),
          columns: [
            { name: 'id', type: 'int' },
            { name: 'lon', type: 'float' },
            { name: 'lat', type: 'float' },
          ],
        },
      },
      { id: 'geo', type: 'transform.geo', needs: ['read'], params: { operations, maxRejects: 1 } },
      { id: 'load', type: 'sink.postgres', needs: ['geo'], params: { table, createTable: true } },
    ],
  });

/** The grid's ids whose point (`pt`) passes `where`, by PostGIS on the same numbers. */
const expectedWithin = async (where: string, params: unknown[] = []): Promise<number[]> =>
  (
    await env.db.rows<{ id: number }>(
      `SELECT id FROM unnest($1::int[], $2::float8[], $3::float8[]) AS t(id, lon, lat),
         LATERAL (SELECT ST_SetSRID(ST_MakePoint(lon, lat), 4326) AS pt) AS p
       WHERE ${where} ORDER BY id`,
      [GRID.map((g) => g.id), GRID.map((g) => g.lon), GRID.map((g) => g.lat), ...params],
    )
  ).map((r) => r.id);

test('point from longitude/latitude, then within a bbox and an inline polygon: the rows ST_Within keeps', async () => {
  const table = `${env.db.schema}.within_inline`;
  const result = await ndjsonPipeline('geo-within-inline', table, [
    { op: 'point', lon: 'lon', lat: 'lat' },
    { op: 'within', bbox: [-3, 41, 4, 48] },
    { op: 'within', polygon: TRIANGLE },
  ]);
  expect(result.status.state).toBe('completed');
  expect(await typesOf(table)).toMatchObject({ geom: 'geometry(Point,4326)' });
  const expected = await expectedWithin(
    'ST_Within(pt, ST_MakeEnvelope(-3, 41, 4, 48, 4326)) AND ST_Within(pt, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))',
    [JSON.stringify(TRIANGLE)],
  );
  expect(expected.length).toBeGreaterThan(10);
  expect(expected.length).toBeLessThan(60);
  const rows = await env.db.rows<{ id: number; same: boolean }>(
    `SELECT id, ST_Equals(geom, ST_SetSRID(ST_MakePoint(lon, lat), 4326)) AS same FROM ${table} ORDER BY id`,
  );
  expect(rows.map((r) => r.id)).toEqual(expected);
  expect(rows.every((r) => r.same)).toBe(true);
  expect(nodeOf(result.status, 'geo').output?.stats).toMatchObject({
    rowsIn: GRID.length + 1,
    rowsOut: expected.length,
    rowsDropped: GRID.length - expected.length,
    rowsRejected: 1,
  });
  const rejects = await env.db.rejects(result.workflowId);
  expect(rejects).toEqual([
    expect.objectContaining({ nodeId: 'geo', reason: 'operations[0] point: lon is NULL, not a number' }),
  ]);
});

test('within a polygon file, then buffer, area, reproject and bbox in that order', async () => {
  const region = {
    type: 'FeatureCollection',
    features: [
      { type: 'Feature', properties: {}, geometry: TRIANGLE },
      { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [square(2, 45, 3)] } },
    ],
  };
  const file = env.file('region.geojson', JSON.stringify(region));
  const table = `${env.db.schema}.within_file`;
  const result = await ndjsonPipeline('geo-within-file', table, [
    { op: 'point', lon: 'lon', lat: 'lat' },
    { op: 'within', file },
    { op: 'buffer', distance: 5000, output: 'zone' },
    { op: 'area', input: 'zone', output: 'zone_area' },
    { op: 'reproject', input: 'zone', to: 32631 },
    { op: 'bbox', input: 'zone' },
  ]);
  expect(result.status.state).toBe('completed');
  const expected = await expectedWithin(
    'ST_Within(pt, ST_SetSRID(ST_GeomFromGeoJSON($4), 4326))',
    // ST_Within a MultiPolygon of the two: the same as the union the file describes (they do not overlap).
    [JSON.stringify({ type: 'MultiPolygon', coordinates: [TRIANGLE.coordinates, [square(2, 45, 3)]] })],
  );
  expect(expected.length).toBeGreaterThan(20);
  expect(await typesOf(table)).toMatchObject({ zone: 'geometry(Polygon,32631)', zone_area: 'double precision' });
  const rows = await env.db.rows<{ id: number; area: number; bbox: number; inside: boolean }>(
    `SELECT id, zone_area / ST_Area(ST_Transform(zone, 4326)::geography) AS area,
       abs(minx - ST_XMin(zone)) + abs(miny - ST_YMin(zone)) + abs(maxx - ST_XMax(zone)) + abs(maxy - ST_YMax(zone)) AS bbox,
       ST_Within(ST_Transform(geom, 32631), zone) AS inside
     FROM ${table} ORDER BY id`,
  );
  expect(rows.map((r) => r.id)).toEqual(expected);
  for (const r of rows) {
    // The area was measured before the reprojection, on the same polygon.
    expect(Math.abs(r.area - 1)).toBeLessThan(1e-6);
    // bbox ran after it, in UTM metres.
    expect(r.bbox).toBe(0);
    expect(r.inside).toBe(true);
  }
});

test('rows an operation cannot handle are rejects with the reason; the others load', async () => {
  const file = collection('bad.geojson', [
    { properties: { id: 0 }, geometry: { type: 'Point', coordinates: [15, 45] } },
    { properties: { id: 1 }, geometry: null },
    { properties: { id: 2 }, geometry: { type: 'Point', coordinates: [110, 10] } },
    { properties: { id: 3 }, geometry: { type: 'Point', coordinates: [15, 90] } },
    { properties: { id: 4 }, geometry: { type: 'Point', coordinates: [16, -20] } },
  ]);
  const table = `${env.db.schema}.rejected`;
  const result = await geoPipeline('geo-rejects', file, table, [
    { op: 'reproject', to: 32633, output: 'utm' },
    { op: 'reproject', input: 'geom', to: 3857, output: 'merc' },
  ]);
  expect(result.status.state).toBe('completed');
  expect(nodeOf(result.status, 'geo').output?.stats).toMatchObject({ rowsIn: 5, rowsOut: 2, rowsRejected: 3 });
  expect((await env.db.rows<{ id: number }>(`SELECT id FROM ${table} ORDER BY id`)).map((r) => r.id)).toEqual([0, 4]);
  const reasons = (await env.db.rejects(result.workflowId)).map((r) => [r.nodeId, r.reason]);
  expect(reasons).toEqual([
    ['geo', 'operations[0] reproject: the geometry is NULL'],
    ['geo', "operations[0] reproject: longitude 110 is 95.0° from EPSG:32633's central meridian (at most 90°)"],
    ['geo', 'operations[1] reproject: [15, 90] is outside the domain of EPSG:3857'],
  ]);
});

test('an unknown EPSG code is refused at validation, naming the node path and the code', async () => {
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'geo-bad-epsg',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: '/nonexistent.geojson' } },
      { id: 'geo', type: 'transform.geo', needs: ['read'], params: { operations: [{ op: 'reproject', to: 2154 }] } },
    ],
  });
  const cause = await failureOf(handle.result());
  expect(cause.type).toBe('InvalidPipelineDefinition');
  expect(cause.nonRetryable).toBe(true);
  expect(cause.message).toMatch(
    /nodes\[1\]\.params\.operations\[0\]\.to: EPSG:2154 is not a coordinate system transform\.geo knows/,
  );
});

test('a measure on a projected column fails the node at once, saying to reproject first', async () => {
  const file = collection('merc.geojson', [
    { properties: { id: 0 }, geometry: { type: 'Point', coordinates: [1113194.9, 6446275.8] } },
  ]);
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'geo-projected',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, geometry: { srid: 3857 } } },
      { id: 'geo', type: 'transform.geo', needs: ['read'], params: { operations: [{ op: 'buffer', distance: 10 }] } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['geo'],
        params: { table: `${env.db.schema}.never`, createTable: true },
      },
    ],
  });
  const cause = await failureOf(handle.result());
  expect(cause.message).toContain(
    'geo: InputDatasetError: node "geo": operations[0] buffer: needs longitude/latitude (SRID 4326) but geom has ' +
      'SRID 3857; reproject it to 4326 first',
  );
  expect(nodeOf(await handle.query('status'), 'geo')).toMatchObject({ attempts: 1 });
});

test('run alone (not fused), it reads its input from staging with the geometry column as it was declared', async () => {
  const file = collection('utm-alone.geojson', [
    { properties: { id: 0 }, geometry: { type: 'Point', coordinates: [500000, 5761038.2126] } },
    { properties: { id: 1 }, geometry: { type: 'Point', coordinates: [612345.5, 4123456.25] } },
  ]);
  const table = `${env.db.schema}.alone`;
  const result = await run({
    name: 'geo-alone',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, geometry: { srid: 32633 } }, fuse: false },
      {
        id: 'geo',
        type: 'transform.geo',
        needs: ['read'],
        fuse: false,
        params: {
          operations: [
            { op: 'reproject', to: 4326, output: 'lonlat' },
            { op: 'length', input: 'lonlat' },
          ],
        },
      },
      { id: 'load', type: 'sink.postgres', needs: ['geo'], params: { table, createTable: true } },
    ],
  });
  expect(result.status.state).toBe('completed');
  expect(await typesOf(table)).toMatchObject({ geom: 'geometry(Point,32633)', lonlat: 'geometry(Point,4326)' });
  const rows = await env.db.rows<{ id: number; d: number }>(
    `SELECT id, ST_Distance(lonlat::geography, ST_Transform(geom, 4326)::geography) AS d FROM ${table} ORDER BY id`,
  );
  expect(rows.map((r) => r.id)).toEqual([0, 1]);
  for (const r of rows) expect(r.d).toBeLessThan(1e-6);
});
