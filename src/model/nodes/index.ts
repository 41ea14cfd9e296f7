/**
 * Every built-in node type's description, in catalog order, loaded at once: the worker, the CLI and the docs use
 * this list; the worker's implementations (`src/nodes/builtin-types.ts`) must cover exactly these names. Workflow
 * code reads the same types through `builtin-table.ts`, which loads only the descriptions a run uses.
 */
import { failDescription, noopDescription, sleepDescription } from './builtin';
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

export { builtinDescription, builtinTypeNames, mayLeaveStaging, streamRole } from './builtin-table';
export { describeNode, StreamRole, type NodeDescription } from './describe';
