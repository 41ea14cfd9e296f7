/** Inserts a published definition unless its version exists; returns the checksum already there when it does. */
import type pg from 'pg';
import { quoteIdent } from '../../../model/identifiers';

export interface InsertDefinitionInput {
  readonly name: string;
  readonly version: string;
  readonly definition: unknown;
  readonly checksum: string;
}

export type InsertDefinitionResult =
  { readonly inserted: true } | { readonly inserted: false; readonly existingChecksum: string };

export async function insertDefinition(
  db: pg.Pool | pg.ClientBase,
  schema: string,
  input: InsertDefinitionInput,
): Promise<InsertDefinitionResult> {
  const table = `${quoteIdent(schema, 'schema')}.definitions`;
  const inserted = await db.query(
    `INSERT INTO ${table} (name, version, definition, checksum) VALUES ($1, $2, $3::jsonb, $4)
     ON CONFLICT (name, version) DO NOTHING RETURNING seq`,
    [input.name, input.version, JSON.stringify(input.definition), input.checksum],
  );
  if ((inserted.rowCount ?? 0) > 0) return { inserted: true };
  const { rows } = await db.query<{ checksum: string }>(
    `SELECT checksum FROM ${table} WHERE name = $1 AND version = $2`,
    [input.name, input.version],
  );
  return { inserted: false, existingChecksum: rows[0]?.checksum ?? '' };
}
