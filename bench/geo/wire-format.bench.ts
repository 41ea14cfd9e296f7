/**
 * Which text form of a geometry loads fastest through COPY into a `geometry(Point, 4326)` column: hex EWKB built in
 * the worker (what the geometry column type sends), EWKT (`SRID=4326;POINT(x y)`, parsed by PostGIS), or GeoJSON
 * text (parsed by PostGIS's geometry input, as `ST_GeomFromGeoJSON` does). For each: the worker's encoding time for
 * the GeoJSON objects, the COPY time, and the total, best of `ROUNDS`. Run: `npm run bench:geo-wire` (POINTS=100000).
 * With BENCH_RATIOS_FILE set it also writes there each PostGIS-parsed form's total over hex EWKB's, the median of
 * the rounds' own ratios (the rounds interleaved: one round of every form, then the next), for npm run bench:check.
 */
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { geojsonToEwkbHex } from '../../src/data/geo/wkb';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import { recordRatios } from '../check/ratios';
import { median } from '../dag/stats';

const POINTS = Number(process.env.POINTS ?? 100_000);
const ROUNDS = Number(process.env.ROUNDS ?? 3);
const SCHEMA = `bench_geo_wire_${process.pid}`;

type Point = { type: 'Point'; coordinates: [number, number] };
const points: Point[] = Array.from({ length: POINTS }, (_, i) => ({
  type: 'Point',
  coordinates: [((i * 7919) % 360_000) / 1000 - 180, ((i * 104_729) % 180_000) / 1000 - 90],
}));

const ENCODINGS: Record<string, (p: Point) => string> = {
  'hex EWKB (worker)': (p) => geojsonToEwkbHex(p, { srid: 4326, kind: 'Point', z: false }),
  'EWKT (PostGIS parses)': (p) => `SRID=4326;POINT(${p.coordinates[0]} ${p.coordinates[1]})`,
  // The geometry input function reads GeoJSON text as ST_GeomFromGeoJSON does; SRID 4326 is GeoJSON's default.
  'GeoJSON text (PostGIS parses)': (p) => JSON.stringify(p),
};

async function copyLines(client: pg.ClientBase, table: string, data: string): Promise<void> {
  await pipeline(Readable.from([data]), client.query(copyFrom(`COPY ${table} (geom) FROM STDIN`)));
}

async function main(): Promise<void> {
  const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL, max: 1 });
  const client = await pool.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public');
    await client.query(`CREATE SCHEMA ${SCHEMA}`);
    console.log(`${POINTS} points into geometry(Point, 4326) by COPY, best of ${ROUNDS} (ms)`);
    type Timing = { encode: number; copy: number; total: number };
    const timings = new Map<string, Timing[]>(Object.keys(ENCODINGS).map((name) => [name, []]));
    // Round by round, every form once in each: the machine's drift then touches the forms alike.
    for (let r = 0; r < ROUNDS; r++)
      for (const [name, encode] of Object.entries(ENCODINGS)) {
        const table = `${SCHEMA}.t_${r}`;
        await client.query(`DROP TABLE IF EXISTS ${table}`);
        await client.query(`CREATE TABLE ${table} (geom geometry(Point, 4326))`);
        const t0 = performance.now();
        const lines = new Array<string>(POINTS + 1);
        for (let i = 0; i < POINTS; i++) lines[i] = encode(points[i] as Point);
        lines[POINTS] = '';
        const data = lines.join('\n');
        const t1 = performance.now();
        await copyLines(client, table, data);
        const t2 = performance.now();
        timings.get(name)?.push({ encode: t1 - t0, copy: t2 - t1, total: t2 - t0 });
        const [check] = (await client.query(`SELECT count(*)::int AS n FROM ${table}`)).rows as [{ n: number }];
        if (check.n !== POINTS) throw new Error(`${name}: loaded ${check.n} of ${POINTS}`);
      }
    for (const [name, ts] of timings) {
      const best = ts.reduce((a, b) => (b.total < a.total ? b : a));
      const rate = Math.round(POINTS / (best.total / 1000));
      console.log(
        `${name.padEnd(32)} encode ${best.encode.toFixed(0).padStart(5)}  copy ${best.copy.toFixed(0).padStart(5)}` +
          `  total ${best.total.toFixed(0).padStart(5)}  (${rate} points/s)`,
      );
    }
    // Each round's own ratio (its forms ran seconds apart), the median over the rounds.
    const overEwkb = (name: string): number => {
      const ewkb = timings.get('hex EWKB (worker)') as Timing[];
      return median((timings.get(name) as Timing[]).map((t, r) => t.total / (ewkb[r] as Timing).total));
    };
    recordRatios(
      'geoWire',
      { ewktOverEwkb: overEwkb('EWKT (PostGIS parses)'), geojsonOverEwkb: overEwkb('GeoJSON text (PostGIS parses)') },
      'higher',
    );
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
    client.release();
    await pool.end();
  }
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
