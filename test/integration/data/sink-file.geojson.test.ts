/**
 * sink.file as GeoJSON: features of every kind (and earthquakes.json, 1,707 3D points) go source.geojson ->
 * sink.file (a FeatureCollection, and an RFC 8142 sequence) -> source.geojson -> sink.postgres and come back equal to
 * a direct load (count and a checksum over id, every property and the geometry); GDAL reads the written files with
 * the right feature count; a node reading the file dataset downstream gets the same rows; an input without a
 * geometry column fails before any file appears.
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { PipelineResult } from '../../../src/engine/run-input';
import type { DataHarness } from '../../helpers/data-harness';
import { runToEnd, startGeoHarness, VEGA_DATA } from '../../helpers/geo-runs';
import { EVERY_KIND } from '../../helpers/geojson-fixtures';
import { failureOf, nodeOf, startPipeline } from '../../helpers/runs';
import { tableChecksum } from '../../helpers/table-checksum';

let env: DataHarness;
beforeAll(async () => (env = await startGeoHarness('geojson_out')));
afterAll(async () => env?.close());

const EARTHQUAKES = path.join(VEGA_DATA, 'earthquakes.json');

const run = (definition: object) => runToEnd(env, definition);
const load = async (name: string, file: string, table: string, params: object = {}) => {
  const r = await run({
    name,
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, ...params } },
      { id: 'load', type: 'sink.postgres', needs: ['read'], params: { table, createTable: true } },
    ],
  });
  expect(r.status.state).toBe('completed');
  return r;
};
const write = async (name: string, file: string, out: string, params: object) => {
  const r = await run({
    name,
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: file, idColumn: 'fid' } },
      { id: 'write', type: 'sink.file', needs: ['read'], params: { path: out, idColumn: 'fid', ...params } },
    ],
  });
  expect(r.status.state).toBe('completed');
  return r;
};
/** What GDAL counts in a file: `ogrinfo -al -so` prints "Feature Count: n" per layer. */
const ogrCount = (file: string): number => {
  const out = execFileSync('ogrinfo', ['-ro', '-al', '-so', file], { encoding: 'utf8' });
  return Number(/Feature Count: (\d+)/.exec(out)?.[1]);
};

const FEATURES = [...EVERY_KIND, null].map((geometry, i) => ({
  type: 'Feature',
  id: `f${i}`,
  properties: { name: i % 3 === 0 ? null : `name "${i}"\ttab`, rank: i, score: i % 2 === 0 ? i / 4 : null, ok: i > 4 },
  geometry,
}));

test.each([
  ['geojson', 'every.out.geojson'],
  ['geojsonseq', 'every.out.geojsons'],
])('features of every kind round-trip through sink.file format %s', async (format, name) => {
  const source = env.file('every.geojson', JSON.stringify({ type: 'FeatureCollection', features: FEATURES }));
  const direct = `${env.db.schema}.every_direct`;
  await env.db.rows(`DROP TABLE IF EXISTS ${direct}`);
  await load(`every-direct-${format}`, source, direct, { idColumn: 'fid' });

  const out = env.path(name);
  const written = await write(`every-write-${format}`, source, out, { format });
  expect(nodeOf(written.status, 'write').output?.stats).toMatchObject({ rowsWritten: FEATURES.length });
  const text = fs.readFileSync(out, 'utf8');
  if (format === 'geojson') {
    const fc = JSON.parse(text) as {
      type: string;
      features: Array<{ id: string; properties: object; geometry: unknown }>;
    };
    expect(fc.type).toBe('FeatureCollection');
    expect(fc.features.map((f) => f.id)).toEqual(FEATURES.map((f) => f.id));
    expect(fc.features.map((f) => f.geometry)).toEqual(FEATURES.map((f) => f.geometry));
    expect(fc.features.map((f) => f.properties)).toEqual(FEATURES.map((f) => f.properties));
  } else {
    const lines = text.split('\n').slice(0, -1);
    expect(lines).toHaveLength(FEATURES.length);
    expect(lines.every((l) => l.startsWith('\u001e{"type":"Feature"'))).toBe(true);
  }
  expect(ogrCount(out)).toBe(FEATURES.length);

  const back = `${env.db.schema}.every_back_${format}`;
  await load(`every-back-${format}`, out, back, { idColumn: 'fid' });
  const cols = ['fid', 'name', 'rank', 'score', 'ok', 'geom'];
  const sum = await tableChecksum(env.db.pool, back, cols);
  expect(sum).toEqual(await tableChecksum(env.db.pool, direct, cols));
  expect(sum).toMatchObject({ count: FEATURES.length });
});

test('earthquakes.json round-trips through a written FeatureCollection; the file dataset feeds a sink downstream', async () => {
  const direct = `${env.db.schema}.quakes_direct`;
  await load('quakes-direct', EARTHQUAKES, direct, { idColumn: 'fid' });
  const out = env.path('quakes.geojson');
  const back = `${env.db.schema}.quakes_chained`;
  // The file sink's dataset (the GeoJSON file) read by the next node, then the file read again by source.geojson.
  const chained = await run({
    name: 'quakes-chained',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: EARTHQUAKES, idColumn: 'fid' } },
      { id: 'write', type: 'sink.file', needs: ['read'], params: { path: out, idColumn: 'fid' } },
      { id: 'load', type: 'sink.postgres', needs: ['write'], params: { table: back, createTable: true } },
    ],
  });
  expect(chained.status.state).toBe('completed');
  expect(ogrCount(out)).toBe(1707);
  // Kept apart (fuse: false), the sink reads the staging table and PostGIS writes the GeoJSON (ST_AsGeoJSON): the
  // same features as the worker's decoding of hex EWKB in the fused chain.
  const apart = env.path('quakes-apart.geojson');
  await run({
    name: 'quakes-apart',
    nodes: [
      { id: 'read', type: 'source.geojson', params: { path: EARTHQUAKES, idColumn: 'fid' } },
      { id: 'write', type: 'sink.file', needs: ['read'], fuse: false, params: { path: apart, idColumn: 'fid' } },
    ],
  });
  const parsed = (f: string) => JSON.parse(fs.readFileSync(f, 'utf8')) as { features: Array<{ id: string }> };
  const ours = parsed(out);
  expect(ours.features).toHaveLength(1707);
  const theirs = parsed(apart);
  // A staging table is read without ORDER BY, in heap order, which need not be the source's.
  const byId = (fs: Array<{ id: string }>) => [...fs].sort((a, b) => (a.id < b.id ? -1 : 1));
  expect(byId(theirs.features)).toEqual(byId(ours.features));
  const reread = `${env.db.schema}.quakes_reread`;
  await load('quakes-reread', out, reread, { idColumn: 'fid' });
  const [{ cols }] = (await env.db.rows<{ cols: string[] }>(
    `SELECT array_agg(attname::text ORDER BY attnum) AS cols FROM pg_attribute
     WHERE attrelid = $1::regclass AND attnum > 0 AND NOT attisdropped`,
    [direct],
  )) as [{ cols: string[] }];
  expect(cols).toEqual(expect.arrayContaining(['fid', 'mag', 'place', 'geom']));
  const sum = await tableChecksum(env.db.pool, direct, cols);
  expect(sum).toMatchObject({ count: 1707 });
  expect(await tableChecksum(env.db.pool, back, cols)).toEqual(sum);
  expect(await tableChecksum(env.db.pool, reread, cols)).toEqual(sum);
});

test('an input without a geometry column fails non-retryably and writes no file', async () => {
  const csv = env.file('plain.csv', 'a,b\n1,2\n');
  const out = env.path('plain.geojson');
  const handle = await startPipeline(env.h.client, env.h.taskQueue, {
    name: 'geojson-no-geometry',
    defaults: { retry: { maximumAttempts: 3, initialInterval: '1s' } },
    nodes: [
      {
        id: 'read',
        type: 'source.csv',
        params: {
          path: csv,
          columns: [
            { name: 'a', type: 'int' },
            { name: 'b', type: 'int' },
          ],
        },
      },
      { id: 'write', type: 'sink.file', needs: ['read'], params: { path: out } },
    ],
  });
  const failure = await failureOf(handle.result());
  expect(failure.message).toMatch(
    /node "write": .*a GeoJSON file needs a geometry column and the input has none \(it has: a int, b int\)/,
  );
  const status = (await handle.query('status')) as PipelineResult['status'];
  expect(nodeOf(status, 'write')).toMatchObject({ attempts: 1, error: { nonRetryable: true } });
  expect(fs.existsSync(out)).toBe(false);
  expect(fs.readdirSync(path.dirname(out)).filter((f) => f.includes('plain.geojson'))).toEqual([]);
});
