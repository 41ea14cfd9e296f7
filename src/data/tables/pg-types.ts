/** Declared column types for Postgres result columns (by type OID), for datasets made by SQL. */
import type { ColumnType } from '../../model/columns/columns';

const BY_OID: Record<number, ColumnType> = {
  16: 'bool',
  20: 'bigint',
  21: 'int',
  23: 'int',
  700: 'float',
  701: 'float',
  1700: 'numeric',
  1082: 'date',
  1184: 'timestamptz',
  114: 'json',
  3802: 'json',
};

/**
 * The declared type of a result column; types pipewright does not declare (timestamp without time zone, uuid,
 * arrays, ...) travel as text, in Postgres's own text form, which the same type accepts again.
 */
export const columnTypeOfOid = (oid: number): ColumnType => BY_OID[oid] ?? 'text';

/** Whether the OID is one of the built-in types above (anything else may be an extension's, such as geometry). */
export const isKnownOid = (oid: number): boolean => Object.hasOwn(BY_OID, oid) || oid === 25 || oid === 1043;

/** pg type parsers that keep every value as the text Postgres sent: what COPY takes back unchanged. */
export const TEXT_TYPES = { getTypeParser: () => (value: string) => value } as const;
