/**
 * Every built-in node type's description, in catalog order: the one list of built-in types. The workflow validates
 * and plans with it; the worker's implementations (`src/nodes/builtin-types.ts`) must cover exactly these names.
 */
import { failDescription, noopDescription, sleepDescription } from './builtin';
import type { NodeDescription, StreamRole } from './describe';
import { sinkFileDescription } from './sink-file';
import { sinkPostgresDescription } from './sink-postgres';
import { sourceCsvDescription } from './source-csv';
import { sourceHttpDescription } from './source-http';
import { sourceGeojsonDescription } from './source-geojson';
import { sourceTopojsonDescription } from './source-topojson';
import { sourceJsonDescription } from './source-json';
import { sourceNdjsonDescription } from './source-ndjson';
import { sourceParquetDescription } from './source-parquet';
import { sourcePostgresDescription } from './source-postgres';
import { transformFilterDescription } from './transform-filter';
import { transformGeoDescription } from './transform-geo';
import { transformLookupDescription } from './transform-lookup';
import { transformMapDescription } from './transform-map';
import { transformSqlDescription } from './transform-sql';

export const BUILTIN_NODE_DESCRIPTIONS = [
  noopDescription,
  sleepDescription,
  failDescription,
  sourceCsvDescription,
  sourceNdjsonDescription,
  sourceJsonDescription,
  sourceParquetDescription,
  sourceGeojsonDescription,
  sourceTopojsonDescription,
  sourcePostgresDescription,
  sourceHttpDescription,
  transformMapDescription,
  transformFilterDescription,
  transformLookupDescription,
  transformSqlDescription,
  transformGeoDescription,
  sinkPostgresDescription,
  sinkFileDescription,
] as const;

/** The name of a built-in node type. */
export type BuiltinNodeTypeName = (typeof BUILTIN_NODE_DESCRIPTIONS)[number]['name'];

const BY_NAME: ReadonlyMap<string, NodeDescription> = new Map(
  BUILTIN_NODE_DESCRIPTIONS.map((d): [string, NodeDescription] => [d.name, d as NodeDescription]),
);

/** The description of a built-in node type, or undefined for any other name (a worker's own type). */
export const builtinDescription = (type: string): NodeDescription | undefined => BY_NAME.get(type);

/** A built-in type's stream role; undefined for other types, which never fuse. */
export const streamRole = (type: string): StreamRole | undefined => BY_NAME.get(type)?.stream;

/** Whether a node of `type` may leave staging tables (only built-in types write staging). */
export const mayLeaveStaging = (type: string): boolean => BY_NAME.get(type)?.staging === true;

export { describeNode, StreamRole, type NodeDescription } from './describe';
