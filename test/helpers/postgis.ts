/**
 * PostGIS in the shared test database: an extension is per database (not per schema), so it is created once, in
 * schema public, which every test schema's search_path ("$user", public) resolves `geometry` from. Tests that need
 * it call this first; concurrent first calls race on the catalog, which the retry covers.
 */
import type pg from 'pg';

export async function ensurePostgis(pool: pg.Pool): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await pool.query('CREATE EXTENSION IF NOT EXISTS postgis WITH SCHEMA public');
      return;
    } catch (err) {
      // 23505/42710: another test file created it in the same moment.
      const code = (err as { code?: string }).code;
      if (attempt >= 3 || (code !== '23505' && code !== '42710')) throw err;
    }
  }
}
