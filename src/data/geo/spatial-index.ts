/** GiST indexes on a loaded table's geometry columns (sink.postgres `spatialIndex: true`), built after the load. */
import type pg from 'pg';
import { quoteIdent } from '../../model/identifiers';
import type { ColumnSpec } from '../../model/columns/columns';
import type { TargetColumn, TargetTable } from '../load/target-table';

/** `CREATE INDEX IF NOT EXISTS <table>_<column>_gist` for each geometry input column, on its target column. */
export async function createSpatialIndexes(
  db: pg.Pool | pg.ClientBase,
  target: TargetTable,
  input: readonly ColumnSpec[],
  matched: readonly TargetColumn[],
): Promise<void> {
  for (let i = 0; i < input.length; i++) {
    const column = matched[i];
    if (input[i]?.type !== 'geometry' || column === undefined) continue;
    // Postgres cuts names at 63 bytes; IF NOT EXISTS then still finds the index of a rerun.
    const name = `${target.name}_${column.name}_gist`.slice(0, 63);
    await db.query(
      `CREATE INDEX IF NOT EXISTS ${quoteIdent(name, 'table')} ON ${target.qualified} USING gist (${quoteIdent(column.name, 'column')})`,
    );
  }
}
