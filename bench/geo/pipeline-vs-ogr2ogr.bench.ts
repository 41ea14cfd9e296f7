/**
 * GeoJSON into PostGIS through the real product, next to GDAL in the same run: generated FeatureCollections of
 * points and of polygons (five properties each) run as a pipeline `source.geojson` -> `sink.postgres` (createTable,
 * no spatial index) on a Temporal dev server by a compiled worker in its own process, against
 * `ogr2ogr -f PostgreSQL` of the same file (PG_USE_COPY=YES, -gt unlimited, SPATIAL_INDEX=NONE: its fastest
 * documented settings), back to back in each round, who goes first alternating; then, where the worker has
 * `transform.geo`, the points again with a 100 m buffer in between; and the worker's peak RSS for the 100K-point
 * and the full points file, each in a fresh worker.
 *
 *   npm run bench:geo -- [--points 1000000] [--polygons 100000] [--rounds 2] [--batch-rows 50000]
 *
 * The worker runs with a 256 MB old space (`--max-old-space-size=256`), as a worker container with a memory limit
 * should: with V8's default sizing on a machine of 24 GiB the heap grows with the garbage of a longer load before a
 * full collection, which is when V8 collects, not what the reader keeps. BENCH_WORKER_NODE_ARGS overrides it
 * (`BENCH_WORKER_NODE_ARGS= npm run bench:geo` for V8's defaults).
 */
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { builtinDescription } from '../../src/model/nodes';
import { createPools, DEFAULT_DATABASE_URL } from '../../src/platform/db/pools';
import { markdownTable } from '../dag/table';
import { startBenchTemporal } from '../load/bench-temporal';
import { withTimeout } from '../dag/timeout';
import { deployedWorkerEnv, samplePeak, startBenchWorker, type BenchWorker } from '../load/worker-process';
import { writeFeatureCollection } from './generate-geojson';

const SCHEMA = 'bench_geo';
const WORKER_HEAP = '--max-old-space-size=256';
const META = 'bench_geo_meta';
const STAGING = 'bench_geo_staging';
const COLUMNS = [
  { name: 'name', type: 'text' },
  { name: 'n', type: 'int' },
  { name: 'v', type: 'numeric' },
  { name: 'cat', type: 'text' },
  { name: 'ok', type: 'bool' },
];

type Kind = 'Point' | 'Polygon';

function definition(file: string, table: string, kind: Kind, batchRows: number, buffer: boolean): object {
  const read = {
    id: 'read',
    type: 'source.geojson',
    params: { path: file, layout: 'collection', columns: COLUMNS, geometry: { column: 'geom', kind, srid: 4326 } },
  };
  const geo = {
    id: 'buffer',
    type: 'transform.geo',
    needs: ['read'],
    params: { operations: [{ op: 'buffer', distance: 100 }] },
  };
  return {
    name: 'bench-geo',
    defaults: { retry: { maximumAttempts: 1 } },
    nodes: [
      read,
      ...(buffer ? [geo] : []),
      {
        id: 'load',
        type: 'sink.postgres',
        needs: [buffer ? 'buffer' : 'read'],
        params: { table, createTable: true, batchRows },
      },
    ],
  };
}

function ogr2ogr(url: string, file: string, table: string, kind: Kind): number {
  const u = new URL(url);
  const t0 = performance.now();
  execFileSync('ogr2ogr', [
    ...['--config', 'PG_USE_COPY', 'YES', '-f', 'PostgreSQL'],
    `PG:host=${u.hostname} port=${u.port || 5432} user=${u.username || 'postgres'} dbname=${u.pathname.slice(1) || 'postgres'}`,
    file,
    ...['-nln', table, '-nlt', kind.toUpperCase(), '-gt', 'unlimited'],
    ...['-lco', 'GEOMETRY_NAME=geom', '-lco', 'SPATIAL_INDEX=NONE'],
  ]);
  return performance.now() - t0;
}

async function run(): Promise<void> {
  const { values } = parseArgs({
    options: {
      points: { type: 'string', default: '1000000' },
      polygons: { type: 'string', default: '100000' },
      rounds: { type: 'string', default: '2' },
      'batch-rows': { type: 'string', default: '50000' },
    },
  });
  const [points, polygons, rounds, batchRows] = [
    values.points,
    values.polygons,
    values.rounds,
    values['batch-rows'],
  ].map(Number) as [number, number, number, number];
  const url = process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
  process.env.BENCH_WORKER_NODE_ARGS ??= WORKER_HEAP;
  console.log(`worker node flags: ${process.env.BENCH_WORKER_NODE_ARGS || "none (V8's defaults)"}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-bench-geo-'));
  const registry = createPools({ defaultUrl: url });
  const pool = registry.getPool();
  const cleanups: Array<() => Promise<unknown>> = [];
  try {
    const files = {
      points: path.join(dir, 'points.geojson'),
      small: path.join(dir, 'points-100k.geojson'),
      polygons: path.join(dir, 'polygons.geojson'),
    };
    const sizes = {
      points: writeFeatureCollection(files.points, 'points', points),
      small: writeFeatureCollection(files.small, 'points', Math.min(points, 100_000)),
      polygons: writeFeatureCollection(files.polygons, 'polygons', polygons),
    };
    await pool.query('CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public');
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}`);
    await pool.query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`);

    const { address, client, bundle } = await startBenchTemporal(dir, cleanups);
    let workers = 0;
    const startWorker = async (): Promise<BenchWorker & { taskQueue: string }> => {
      const taskQueue = `bench-geo-${++workers}`;
      const worker = await startBenchWorker(
        deployedWorkerEnv({
          address,
          taskQueue: taskQueue,
          bundle: bundle,
          url: url,
          schema: META,
          stagingSchema: STAGING,
        }),
      );
      cleanups.push(() => worker.stop());
      return { ...worker, taskQueue };
    };
    let runNo = 0;
    const pipeline = async (w: BenchWorker & { taskQueue: string }, def: object) => {
      const peak = samplePeak(() => w.rss());
      const t0 = performance.now();
      const handle = await client.workflow.start('pipeline', {
        taskQueue: w.taskQueue,
        workflowId: `bench-geo-${Date.now()}-${++runNo}`,
        args: [{ definition: def }],
      });
      await withTimeout(handle.result(), 30 * 60_000, `pipeline run ${runNo}`);
      return { ms: performance.now() - t0, rss: peak.stop() };
    };
    const count = async (table: string): Promise<number> =>
      Number((await pool.query<{ n: string }>(`SELECT count(*) n FROM ${table}`)).rows[0]?.n);
    const equalRows = async (a: string, b: string): Promise<number> =>
      Number(
        (
          await pool.query<{ n: string }>(
            `SELECT count(*) n FROM ${a} x JOIN ${b} y ON x.n = y.n AND x.name = y.name AND x.cat = y.cat AND ST_Equals(x.geom, y.geom)`,
          )
        ).rows[0]?.n,
      );

    const worker = await startWorker();
    const rows: string[][] = [];
    const fps = (n: number, ms: number): string => Math.round((n / ms) * 1000).toLocaleString();
    for (const [label, file, n, kind] of [
      ['points', files.points, points, 'Point'],
      ['polygons', files.polygons, polygons, 'Polygon'],
    ] as const) {
      // Unmeasured first load: the JIT compiles the hot path.
      await pipeline(
        worker,
        definition(kind === 'Point' ? files.small : file, `${SCHEMA}.warm_${label}`, kind, batchRows, false),
      );
      const best = { pipe: Infinity, ogr: Infinity };
      for (let r = 1; r <= rounds; r++) {
        const a = `${SCHEMA}.pipe_${label}_${r}`;
        const b = `${SCHEMA}.ogr_${label}_${r}`;
        for (const who of r % 2 ? ['pipe', 'ogr'] : ['ogr', 'pipe']) {
          await pool.query('CHECKPOINT');
          if (who === 'pipe')
            best.pipe = Math.min(best.pipe, (await pipeline(worker, definition(file, a, kind, batchRows, false))).ms);
          else best.ogr = Math.min(best.ogr, ogr2ogr(url, file, b, kind));
        }
        const [na, nb, same] = await Promise.all([count(a), count(b), equalRows(a, b)]);
        if (na !== n || nb !== n || same !== n)
          throw new Error(`${label} round ${r}: pipewright ${na}, ogr2ogr ${nb}, equal ${same} of ${n}`);
        console.log(
          `${label} round ${r}: pipewright ${fps(n, best.pipe)} features/s, ogr2ogr ${fps(n, best.ogr)} (best so far); equal ${same}`,
        );
        await pool.query(`DROP TABLE ${a}, ${b}`);
      }
      const mb = (sizes[label] / 1e6).toFixed(0);
      rows.push([
        `${n.toLocaleString()} ${label} (${mb} MB), source.geojson -> sink.postgres`,
        fps(n, best.pipe),
        fps(n, best.ogr),
        (best.ogr / best.pipe).toFixed(2),
      ]);
    }
    if (builtinDescription('transform.geo')) {
      const t = `${SCHEMA}.buffered`;
      const { ms } = await pipeline(worker, definition(files.points, t, 'Point', batchRows, true));
      if ((await count(t)) !== points) throw new Error('buffered: wrong count');
      rows.push([`${points.toLocaleString()} points, with transform.geo buffer 100 m`, fps(points, ms), '-', '-']);
    }
    await worker.stop();

    const rss: Record<string, number> = {};
    for (const [label, file] of [
      ['small', files.small],
      ['points', files.points],
    ] as const) {
      const w = await startWorker();
      rss[label] = (await pipeline(w, definition(file, `${SCHEMA}.rss_${label}`, 'Point', batchRows, false))).rss;
      await w.stop();
    }
    console.log();
    console.log(markdownTable(['load', 'pipewright features/s', 'ogr2ogr features/s', 'ratio'], rows));
    const mib = (b: number): string => (b / 2 ** 20).toFixed(0);
    console.log(
      `\nworker peak RSS: ${Math.min(points, 100_000).toLocaleString()} points ${mib(rss.small ?? 0)} MiB, ` +
        `${points.toLocaleString()} points ${mib(rss.points ?? 0)} MiB (ratio ${((rss.points ?? 0) / (rss.small ?? 1)).toFixed(2)}, target <= 1.2)`,
    );
    console.log(
      'ogr2ogr: -f PostgreSQL --config PG_USE_COPY YES -gt unlimited -lco SPATIAL_INDEX=NONE -nlt <kind> (adds an ogc_fid serial key)',
    );
  } finally {
    for (const step of cleanups.reverse()) await withTimeout(step(), 20_000, 'cleanup').catch(console.error);
    await pool.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`).catch(() => undefined);
    await pool
      .query(`DROP SCHEMA IF EXISTS ${META} CASCADE; DROP SCHEMA IF EXISTS ${STAGING} CASCADE`)
      .catch(() => undefined);
    await registry.closeAll();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

run().catch((err) => {
  console.error(err);
  process.exit(1);
});
