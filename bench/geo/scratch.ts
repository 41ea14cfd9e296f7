/**
 * What the in-process geo benchmarks share: the columns of `generate-geojson.ts`'s point features, and a scratch
 * folder and one Postgres client on a schema of its own (PostGIS created), both removed when the benchmark ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { ColumnSpec } from '../../src/model/columns/columns';

const col = (name: string, type: ColumnSpec['type']): ColumnSpec => ({
  name,
  type,
  emptyIsNull: false,
  nullable: true,
});

/** The property columns of the generated features, in their order. */
export const POINT_PROPERTIES: readonly ColumnSpec[] = [
  col('name', 'text'),
  col('n', 'int'),
  col('v', 'numeric'),
  col('cat', 'text'),
  col('ok', 'bool'),
];
/** The generated point features' columns as `source.geojson` reads them: properties, then `geom`. */
export const POINT_COLUMNS: readonly ColumnSpec[] = [
  ...POINT_PROPERTIES,
  { ...col('geom', 'geometry'), kind: 'Point', srid: 4326, z: false },
];

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
