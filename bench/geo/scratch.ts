/**
 * A scratch folder and one Postgres client on a schema of its own (PostGIS created) for an in-process geo benchmark,
 * both removed when the benchmark ends.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';

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
