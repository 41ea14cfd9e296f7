/** Reads one published definition: a given version, or the one published last. */
import type pg from 'pg';
import { quoteIdent } from '../../../model/identifiers';

export interface DbDefinition {
  readonly name: string;
  readonly version: string;
  readonly definition: unknown;
  readonly checksum: string;
  readonly published_at: Date;
}

/** `version` undefined: the latest. */
export async function selectDefinition(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  name: string,
  version: string | undefined,
): Promise<DbDefinition | undefined> {
  const table = `${quoteIdent(schema, 'schema')}.definitions`;
  const { rows } =
    version === undefined
      ? await db.query<DbDefinition>(
          `SELECT name, version, definition, checksum, published_at FROM ${table}
           WHERE name = $1 ORDER BY seq DESC LIMIT 1`,
          [name],
        )
      : await db.query<DbDefinition>(
          `SELECT name, version, definition, checksum, published_at FROM ${table} WHERE name = $1 AND version = $2`,
          [name, version],
        );
  return rows[0];
}
