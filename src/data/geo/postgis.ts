/**
 * PostGIS in the target database: geometry columns need the extension created there, and its `geometry` type
 * resolvable from the connection's search_path. Checked before a table is created or loaded, so a missing
 * extension fails the node for good with what to do, instead of failing each COPY attempt.
 */
import type pg from 'pg';
import type { ColumnSpec } from '../../model/columns/columns';
import { PostgisMissingError } from '../errors';

/** Throws a PostgisMissingError unless `columns` have no geometry or PostGIS's `geometry` type resolves. */
export async function requirePostgis(
  db: pg.Pool | pg.ClientBase,
  nodeId: string,
  columns: readonly ColumnSpec[],
): Promise<void> {
  if (!columns.some((c) => c.type === 'geometry')) return;
  const { rows } = await db.query<{ resolves: boolean; installed: string | null; available: string | null }>(
    `SELECT to_regtype('geometry') IS NOT NULL AS resolves,
            (SELECT extnamespace::regnamespace::text FROM pg_extension WHERE extname = 'postgis') AS installed,
            (SELECT default_version FROM pg_available_extensions WHERE name = 'postgis') AS available`,
  );
  const r = rows[0];
  if (r?.resolves) return;
  const column = columns.find((c) => c.type === 'geometry')?.name ?? '';
  const reason =
    r?.installed != null
      ? `PostGIS is installed in schema ${r.installed}, which is not on the connection's search_path; add it ` +
        `(ALTER DATABASE ... SET search_path = ..., ${r.installed})`
      : r?.available != null
        ? `PostGIS ${r.available} is available but not created in this database: run CREATE EXTENSION postgis ` +
          `(as a superuser or the database owner)`
        : `the server has no PostGIS: install it on the database server (Debian: apt-get install ` +
          `postgresql-<major>-postgis-3; make setup does it here), then run CREATE EXTENSION postgis`;
  throw new PostgisMissingError(nodeId, `geometry column ${column} needs PostGIS; ${reason}`);
}
