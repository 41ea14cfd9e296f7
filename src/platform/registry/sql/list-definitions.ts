/** Published definitions, newest first: all of them, or the versions of one name. */
import type pg from 'pg';
import { quoteIdent } from '../../../model/identifiers';

export interface DbDefinitionSummary {
  readonly name: string;
  readonly version: string;
  readonly checksum: string;
  readonly published_at: Date;
  /** Whether it is the version `name@latest` names. */
  readonly latest: boolean;
}

export async function listDefinitions(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  name?: string,
  limit = 100,
): Promise<DbDefinitionSummary[]> {
  const table = `${quoteIdent(schema, 'schema')}.definitions`;
  const { rows } = await db.query<DbDefinitionSummary>(
    `SELECT name, version, checksum, published_at,
            seq = max(seq) OVER (PARTITION BY name) AS latest
     FROM ${table} WHERE $1::text IS NULL OR name = $1
     ORDER BY name, seq DESC LIMIT $2`,
    [name ?? null, limit],
  );
  return rows;
}
