/**
 * Geometry through SQL on real PostGIS. transform.sql joins earthquakes.json (source.geojson) with world-110m's
 * countries (source.topojson) by ST_Contains and ST_Intersects; its staging table keeps real geometry columns
 * (typmod'd ones and a plain one from ST_Union) and sink.postgres loads it equal to the same SQL run directly.
 * source.postgres reads geometry(PointZ,4326) and plain geometry (SRID 3857) columns as hex EWKB with their kind,
 * Z and SRID, so they load into new geometry columns unchanged and are written by sink.file as GeoJSON that
 * PostGIS reads back to the same bytes.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { DataHarness } from '../../helpers/data-harness';
import { runToEnd, startGeoHarness, VEGA_DATA } from '../../helpers/geo-runs';
import { nodeOf } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startGeoHarness('geo_sql')));
afterAll(async () => env?.close());

const run = async (definition: object) => {
  const result = await runToEnd(env, definition);
  expect(result.status.state).toBe('completed');
  return result;
};
const typeOf = async (table: string, column: string) =>
  (
    await env.db.rows<{ t: string }>(
      `SELECT format_type(atttypid, atttypmod) AS t FROM pg_attribute WHERE attrelid = $1::regclass AND attname = $2`,
      [table, column],
    )
  )[0]?.t;

/** Per country: earthquakes inside it, the strongest, its outline, and the union of 1-degree buffers that touch it. */
const JOIN = (quakes: string, countries: string) => `
  SELECT c.id AS country, count(q.id)::int AS quakes, max(q.mag) AS max_mag, c.geom AS outline,
         ST_Union(ST_Buffer(q.geom, 1)) FILTER (WHERE ST_Intersects(ST_Buffer(q.geom, 1), c.geom)) AS touched
  FROM ${countries} c JOIN ${quakes} q ON ST_Contains(c.geom, q.geom)
  GROUP BY c.id, c.geom`;

test('transform.sql joins a GeoJSON and a TopoJSON staging table with PostGIS; sink.postgres loads the result', async () => {
  const target = `${env.db.schema}.quakes_by_country`;
  const result = await run({
    name: 'geo-sql-join',
    nodes: [
      {
        id: 'quakes',
        type: 'source.geojson',
        params: { path: path.join(VEGA_DATA, 'earthquakes.json'), idColumn: 'id' },
      },
      {
        id: 'countries',
        type: 'source.topojson',
        params: { path: path.join(VEGA_DATA, 'world-110m.json'), object: 'countries', idColumn: 'id' },
      },
      {
        id: 'join',
        type: 'transform.sql',
        needs: ['quakes', 'countries'],
        params: { sql: JOIN('{{ inputs.quakes }}', '{{ inputs.countries }}') },
      },
      { id: 'load', type: 'sink.postgres', needs: ['join'], params: { table: target, createTable: true } },
    ],
  });
  const columns = nodeOf(result.status, 'join').output?.dataset?.columns;
  expect(columns).toEqual([
    { name: 'country', type: 'int' },
    { name: 'quakes', type: 'int' },
    { name: 'max_mag', type: 'numeric' },
    { name: 'outline', type: 'geometry', srid: 4326, z: false },
    // A plain geometry (no typmod): SRID and Z from its values.
    { name: 'touched', type: 'geometry', srid: 4326, z: false },
  ]);
  expect(await typeOf(target, 'outline')).toBe('geometry(Geometry,4326)');
  expect(await typeOf(target, 'touched')).toBe('geometry(Geometry,4326)');

  // The reference: both files loaded as tables, the same SQL run directly.
  const quakes = `${env.db.schema}.quakes`;
  const countries = `${env.db.schema}.countries`;
  await run({
    name: 'geo-sql-reference',
    nodes: [
      { id: 'q', type: 'source.geojson', params: { path: path.join(VEGA_DATA, 'earthquakes.json'), idColumn: 'id' } },
      { id: 'lq', type: 'sink.postgres', needs: ['q'], params: { table: quakes, createTable: true } },
      {
        id: 'c',
        type: 'source.topojson',
        params: { path: path.join(VEGA_DATA, 'world-110m.json'), object: 'countries', idColumn: 'id' },
      },
      { id: 'lc', type: 'sink.postgres', needs: ['c'], params: { table: countries, createTable: true } },
    ],
  });
  const reference = `${env.db.schema}.reference`;
  await env.db.rows(`CREATE TABLE ${reference} AS ${JOIN(quakes, countries)}`);
  const cols = ['country', 'quakes', 'max_mag', 'outline', 'touched'];
  const sum = await tableChecksum(env.db.pool, target, cols);
  expect(sum.count).toBeGreaterThan(20);
  expect(await tableChecksum(env.db.pool, reference, cols)).toEqual(sum);
  const [usa] = await env.db.rows<{ quakes: number }>(`SELECT quakes FROM ${target} WHERE country = 840`);
  expect(usa?.quakes).toBeGreaterThan(100);
});

test('source.postgres reads geometry columns with kind, Z and SRID into sink.postgres and sink.file GeoJSON', async () => {
  const source = `${env.db.schema}.places`;
  await env.db.rows(`
    CREATE TABLE ${source} (id int PRIMARY KEY, name text, at geometry(PointZ, 4326), area geometry);
    INSERT INTO ${source}
    SELECT i, CASE WHEN i % 7 = 0 THEN NULL ELSE 'place ' || i END,
           CASE WHEN i % 11 = 0 THEN NULL ELSE ST_SetSRID(ST_MakePoint(i * 0.37 - 90, i * 0.13 - 45, i * 1.5), 4326) END,
           CASE WHEN i % 5 = 0 THEN ST_Transform(ST_SetSRID(
                  ST_Difference(ST_MakeEnvelope(i * 0.1, 0, i * 0.1 + 1, 1), ST_MakeEnvelope(i * 0.1 + 0.2, 0.2, i * 0.1 + 0.4, 0.4)),
                  4326), 3857)
                ELSE ST_Transform(ST_SetSRID(ST_MakePoint(i * 0.1, 1), 4326), 3857) END
    FROM generate_series(1, 400) AS i`);
  const copy = `${env.db.schema}.places_copy`;
  const out = env.path('places.geojson');
  const result = await run({
    name: 'geo-source-postgres',
    nodes: [
      {
        id: 'read',
        type: 'source.postgres',
        params: { query: `SELECT id, name, at, area FROM ${source} ORDER BY id`, fetchRows: 150 },
      },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table: copy, createTable: true } },
      { id: 'file', type: 'sink.file', needs: ['read'], params: { path: out, geometry: 'at', idColumn: 'id' } },
    ],
  });
  expect(nodeOf(result.status, 'read').output?.dataset?.columns).toEqual([
    { name: 'id', type: 'int' },
    { name: 'name', type: 'text' },
    { name: 'at', type: 'geometry', srid: 4326, kind: 'Point', z: true },
    { name: 'area', type: 'geometry', srid: 3857, z: false },
  ]);
  expect(await typeOf(copy, 'at')).toBe('geometry(PointZ,4326)');
  expect(await typeOf(copy, 'area')).toBe('geometry(Geometry,3857)');
  const cols = ['id', 'name', 'at', 'area'];
  const sum = await tableChecksum(env.db.pool, source, cols);
  expect(sum.count).toBe(400);
  expect(sum.nulls).toMatchObject({ name: 57, at: 36 });
  expect(await tableChecksum(env.db.pool, copy, cols)).toEqual(sum);

  // sink.file read the staging table (read has two consumers, so nothing fused): PostGIS wrote the GeoJSON. The
  // geometries read back to the same EWKB, the other geometry column is a property holding a GeoJSON object.
  const fc = JSON.parse(fs.readFileSync(out, 'utf8')) as {
    features: Array<{ id: number; properties: { name: string | null; area: object }; geometry: object | null }>;
  };
  expect(fc.features).toHaveLength(400);
  const [cmp] = await env.db.rows<{ n: number; same: number; names: number; areas: number }>(
    `SELECT count(*)::int AS n,
            count(*) FILTER (WHERE ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON(f.g), 4326)) IS NOT DISTINCT FROM ST_AsEWKB(s.at))::int AS same,
            count(*) FILTER (WHERE f.name IS NOT DISTINCT FROM s.name)::int AS names,
            count(*) FILTER (WHERE ST_AsEWKB(ST_SetSRID(ST_GeomFromGeoJSON(f.area), 3857)) = ST_AsEWKB(s.area))::int AS areas
     FROM unnest($1::int[], $2::text[], $3::text[], $4::text[]) AS f(id, g, name, area) JOIN ${source} s USING (id)`,
    [
      fc.features.map((f) => f.id),
      fc.features.map((f) => (f.geometry === null ? null : JSON.stringify(f.geometry))),
      fc.features.map((f) => f.properties.name),
      fc.features.map((f) => JSON.stringify(f.properties.area)),
    ],
  );
  expect(cmp).toEqual({ n: 400, same: 400, names: 400, areas: 400 });
});
