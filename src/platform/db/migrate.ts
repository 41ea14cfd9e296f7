/**
 * Applies the numbered SQL migrations in `src/sql/migrations/` to the `pipewright` schema (or another, for tests), once each,
 * under an advisory lock so that workers starting together do not race.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type pg from 'pg';
import { quoteIdent } from '../../model/identifiers';
import { withClient } from './pools';

/** Arbitrary constant key for `pg_advisory_lock`, shared by every pipewright process (the second key is the schema). */
export const MIGRATION_LOCK_KEY = 727_001_001;

/** The project's own schema. Tests pass another to stay isolated. */
export const PROJECT_SCHEMA = 'pipewright';

const FILE_PATTERN = /^(\d+)_([A-Za-z0-9_-]+)\.sql$/;

/** One migration file. */
export interface Migration {
  readonly version: number;
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

/** Thrown when the migration files or the recorded history are inconsistent. */
export class MigrationError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'MigrationError';
  }
}

/** The migrations directory: next to this module in the source tree, or the source tree seen from `dist/`. */
export function defaultMigrationsDir(): string {
  const candidates = [
    path.resolve(__dirname, '..', '..', 'sql', 'migrations'),
    path.resolve(__dirname, '..', '..', '..', '..', 'src', 'sql', 'migrations'),
  ];
  return candidates.find((dir) => fs.existsSync(dir)) ?? (candidates[0] as string);
}

/** Reads and orders the migration files in `dir`. */
export function readMigrations(dir: string = defaultMigrationsDir()): Migration[] {
  const migrations = fs
    .readdirSync(dir)
    .filter((f) => f.endsWith('.sql'))
    .map((file) => {
      const m = FILE_PATTERN.exec(file);
      if (!m) throw new MigrationError(`migration file ${file} in ${dir} must be named NNN_name.sql`);
      const sql = fs.readFileSync(path.join(dir, file), 'utf8');
      return {
        version: Number(m[1]),
        name: m[2] as string,
        sql,
        checksum: createHash('sha256').update(sql).digest('hex'),
      };
    })
    .sort((a, b) => a.version - b.version);
  migrations.forEach((m, i) => {
    if (i > 0 && migrations[i - 1]?.version === m.version)
      throw new MigrationError(`two migrations have version ${m.version}`);
  });
  return migrations;
}

/** Result of {@link migrate}. */
export interface MigrateResult {
  readonly applied: readonly string[];
  readonly alreadyApplied: number;
}

/** Options for {@link migrate}. */
export interface MigrateOptions {
  /** Schema that holds the project tables; default `pipewright`. */
  readonly schema?: string;
  /** Directory of `NNN_name.sql` files; default {@link defaultMigrationsDir}. */
  readonly dir?: string;
}

/** Applies every migration not yet recorded in `<schema>.schema_migrations`, each in its own transaction. */
export async function migrate(pool: pg.Pool, options: MigrateOptions = {}): Promise<MigrateResult> {
  const migrations = readMigrations(options.dir);
  const schemaName = options.schema ?? PROJECT_SCHEMA;
  const schema = quoteIdent(schemaName, 'schema');
  return withClient(pool, async (client) => {
    // A session-level lock: concurrent workers wait here, then find the work done.
    await client.query('SELECT pg_advisory_lock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schemaName]);
    try {
      await client.query(`CREATE SCHEMA IF NOT EXISTS ${schema}`);
      await client.query(`CREATE TABLE IF NOT EXISTS ${schema}.schema_migrations (
        version integer PRIMARY KEY, name text NOT NULL, checksum text NOT NULL,
        applied_at timestamptz NOT NULL DEFAULT now())`);
      const { rows } = await client.query<{ version: number; checksum: string }>(
        `SELECT version, checksum FROM ${schema}.schema_migrations`,
      );
      const done = new Map(rows.map((r) => [r.version, r.checksum]));
      const applied: string[] = [];
      for (const m of migrations) {
        const recorded = done.get(m.version);
        if (recorded !== undefined) {
          if (recorded !== m.checksum)
            throw new MigrationError(
              `migration ${m.version}_${m.name} changed after it was applied; add a new migration instead`,
            );
          continue;
        }
        await client.query('BEGIN');
        try {
          // Migration files name no schema: they create their objects in the project schema.
          await client.query(`SET LOCAL search_path TO ${schema}`);
          await client.query(m.sql);
          await client.query(`INSERT INTO ${schema}.schema_migrations (version, name, checksum) VALUES ($1, $2, $3)`, [
            m.version,
            m.name,
            m.checksum,
          ]);
          await client.query('COMMIT');
        } catch (err) {
          await client.query('ROLLBACK').catch(() => undefined);
          throw new MigrationError(`migration ${m.version}_${m.name} failed: ${(err as Error).message}`);
        }
        applied.push(`${m.version}_${m.name}`);
      }
      return { applied, alreadyApplied: migrations.length - applied.length };
    } finally {
      await client
        .query('SELECT pg_advisory_unlock($1, hashtext($2))', [MIGRATION_LOCK_KEY, schemaName])
        .catch(() => undefined);
    }
  });
}
