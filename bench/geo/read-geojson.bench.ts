/**
 * How geometry should become GeoJSON text for GeoJSON output: read hex EWKB (PostGIS's text output, what rows carry)
 * and decode it in the worker (`ewkbHexToGeojson` + `JSON.stringify`, what sink.file does with rows in a fused
 * chain), or let Postgres write it with `ST_AsGeoJSON` (by default 9 digits after the point; asked for 17, PostGIS
 * writes at most 15, so a coordinate with more rounds by less than 1e-15; what sink.file asks for when it reads a
 * table). Both read through a server-side cursor in FETCHes of 5,000, as source.postgres does. For each path and
 * data set: wall time, the worker's own CPU time and the size of the text, best of `ROUNDS`; first, how many values
 * the two give the same GeoJSON for. Run: `npm run bench:geo-read` (POINTS=200000 POLYGONS=20000 ROUNDS=3).
 */
import pg from 'pg';
import { ewkbHexToGeojson } from '../../src/data/geo/wkb-decode';
import { TEXT_TYPES } from '../../src/data/tables/pg-types';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';

const POINTS = Number(process.env.POINTS ?? 200_000);
const POLYGONS = Number(process.env.POLYGONS ?? 20_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const FETCH = 5000;
const SCHEMA = `bench_geo_read_${process.pid}`;

interface Path {
  readonly select: (column: string) => string;
  /** The feature's geometry text from the fetched value. */
  readonly toText: (v: string) => string;
}

const PATHS: Record<string, Path> = {
  'hex EWKB, decoded in the worker': { select: (c) => c, toText: (v) => JSON.stringify(ewkbHexToGeojson(v)) },
  'ST_AsGeoJSON(geom) (9 digits, rounds)': { select: (c) => `ST_AsGeoJSON(${c})`, toText: (v) => v },
  'ST_AsGeoJSON(geom, 17, 0) (15 digits after the point)': {
    select: (c) => `ST_AsGeoJSON(${c}, 17, 0)`,
    toText: (v) => v,
  },
};

async function readAll(client: pg.ClientBase, sql: string, toText: (v: string) => string) {
  await client.query('BEGIN READ ONLY');
  await client.query(`DECLARE c NO SCROLL CURSOR FOR ${sql}`);
  let rows = 0;
  let chars = 0;
  for (;;) {
    const res = await client.query<string[]>({ text: `FETCH ${FETCH} FROM c`, rowMode: 'array', types: TEXT_TYPES });
    for (const r of res.rows) {
      chars += (r[0] as string).length;
      chars += toText(r[1] as string).length;
    }
    rows += res.rows.length;
    if (res.rows.length < FETCH) break;
  }
  await client.query('ROLLBACK');
  return { rows, chars };
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 1 });
  const client = await pool.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public');
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    await client.query(`CREATE TABLE ${SCHEMA}.points AS
      SELECT i AS id, ST_SetSRID(ST_MakePoint((i * 7919 % 360000) / 1000.0 - 180, (i * 104729 % 170000) / 1000.0 - 85), 4326)::geometry(Point, 4326) AS geom
      FROM generate_series(1::bigint, ${POINTS}) AS i`);
    // 65-vertex rings around the same kind of points: country-outline-sized polygons.
    await client.query(`CREATE TABLE ${SCHEMA}.polygons AS
      SELECT i AS id, ST_Buffer(ST_SetSRID(ST_MakePoint((i * 7919 % 350000) / 1000.0 - 175, (i * 104729 % 160000) / 1000.0 - 80), 4326), 0.5, 16)::geometry(Polygon, 4326) AS geom
      FROM generate_series(1::bigint, ${POLYGONS}) AS i`);
    await client.query(`VACUUM ANALYZE ${SCHEMA}.points`);
    await client.query(`VACUUM ANALYZE ${SCHEMA}.polygons`);
    for (const table of ['points', 'polygons']) {
      // The lossless path must give the same GeoJSON values as the worker's decoding (texts may format differently).
      const { rows } = await client.query<string[]>({
        text: `SELECT geom, ST_AsGeoJSON(geom, 17, 0) FROM ${SCHEMA}.${table} ORDER BY id LIMIT 5000`,
        rowMode: 'array',
        types: TEXT_TYPES,
      });
      let same = 0;
      let worst = 0;
      const numbers = (t: string) => (t.match(/-?\d+(\.\d+)?(e[-+]?\d+)?/g) ?? []).map(Number);
      for (const [hex, text] of rows) {
        const ours = JSON.stringify(ewkbHexToGeojson(hex as string));
        if (ours === JSON.stringify(JSON.parse(text as string))) same++;
        const b = numbers(text as string);
        numbers(ours).forEach((x, i) => (worst = Math.max(worst, Math.abs(x - (b[i] ?? NaN)))));
      }
      // PostGIS writes at most 15 digits after the point, whatever maxdecimaldigits asks for.
      console.log(
        `${table}: ST_AsGeoJSON(geom, 17, 0) equals the worker's decoding for ${same} of ${rows.length} values; ` +
          `largest coordinate difference ${worst.toExponential(1)}`,
      );
    }
    console.log(`geometry to GeoJSON text through a cursor (FETCH ${FETCH}), best of ${ROUNDS}`);
    console.log('data set | path | wall ms | features/s | worker CPU ms | MB of GeoJSON and ids');
    for (const [table, n] of [
      ['points', POINTS],
      ['polygons', POLYGONS],
    ] as const) {
      for (const [name, path] of Object.entries(PATHS)) {
        let best = { wall: Infinity, cpu: 0, chars: 0 };
        for (let r = 0; r < ROUNDS; r++) {
          const cpu0 = process.cpuUsage();
          const t0 = performance.now();
          const { rows, chars } = await readAll(
            client,
            `SELECT id::text, ${path.select('geom')} FROM ${SCHEMA}.${table} ORDER BY id`,
            path.toText,
          );
          const wall = performance.now() - t0;
          const cpu = process.cpuUsage(cpu0);
          if (rows !== n) throw new Error(`${table}: read ${rows} of ${n}`);
          if (wall < best.wall) best = { wall, cpu: (cpu.user + cpu.system) / 1000, chars };
        }
        console.log(
          `${table} (${n}) | ${name} | ${Math.round(best.wall)} | ${Math.round(n / (best.wall / 1000))} | ` +
            `${Math.round(best.cpu)} | ${(best.chars / 1e6).toFixed(1)}`,
        );
      }
    }
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    client.release();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
