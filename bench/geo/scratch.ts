/**
 * What the geo benchmarks share: a generated GeoJSON FeatureCollection written in 1 MB pieces, and a scratch folder
 * plus one Postgres client on a schema of their own (PostGIS created), all removed when the benchmark ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

/** Writes a FeatureCollection of `count` features, `feature(i)` each, to `file`. */
export function writeFeatureCollection(file: string, count: number, feature: (i: number) => object): void {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, '{"type":"FeatureCollection","features":[\n');
  let buf = '';
  for (let i = 0; i < count; i++) {
    buf += (i > 0 ? ',\n' : '') + JSON.stringify(feature(i));
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, `${buf}\n]}\n`);
  fs.closeSync(out);
}

export interface GeoScratch {
  readonly dir: string;
  readonly schema: string;
  readonly client: pg.ClientBase;
}

/** Runs `fn` with a scratch folder and a client on a new schema `schema`; drops both afterwards. */
export async function withGeoScratch(url: string, schema: string, fn: (s: GeoScratch) => Promise<void>): Promise<void> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-bench-geo-'));
  const pool = new pg.Pool({ connectionString: url, max: 1 });
  const client = await pool.connect();
  try {
    await client.query('CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public');
    await client.query(`CREATE SCHEMA ${schema}`);
    await fn({ dir, schema, client });
  } finally {
    await client.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    client.release();
    await pool.end();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
