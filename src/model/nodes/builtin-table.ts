/**
 * The built-in node types as the workflow reads them on every run: each type's stream role and staging rule, and a
 * loader of its full description (its params schema). Every workflow initialises its modules anew, and building
 * every type's zod schema costs milliseconds per run, so a run loads the descriptions of the types its definition
 * names and no others. A loader is a `require` of a module inside the workflow bundle: no I/O, deterministic.
 * `index.ts` holds the same types as an eager list (the worker, CLI and docs use it); a unit test keeps both equal.
 */
/* eslint-disable no-restricted-globals, @typescript-eslint/no-require-imports -- require() loads bundled, pure modules on first use (see above). */
import type * as Builtin from './builtin';
import type { NodeDescription, StreamRole } from './describe';
import type * as SinkFile from './sink-file';
import type * as SinkPostgres from './sink-postgres';
import type * as SourceCsv from './source-csv';
import type * as SourceGeojson from './source-geojson';
import type * as SourceHttp from './source-http';
import type * as SourceJson from './source-json';
import type * as SourceNdjson from './source-ndjson';
import type * as SourceParquet from './source-parquet';
import type * as SourcePostgres from './source-postgres';
import type * as SourceTopojson from './source-topojson';
import type * as TransformFilter from './transform-filter';
import type * as TransformGeo from './transform-geo';
import type * as TransformLookup from './transform-lookup';
import type * as TransformMap from './transform-map';
import type * as TransformSql from './transform-sql';

interface BuiltinType {
  /** As the description's `stream`. */
  readonly stream?: StreamRole;
  /** As the description's `staging`. */
  readonly staging?: boolean;
  readonly load: () => NodeDescription;
}

/** A streaming type: every one of them may leave staging tables. */
const streaming = (stream: StreamRole, load: () => unknown): BuiltinType => ({
  stream,
  staging: true,
  load: load as () => NodeDescription,
});

/** Every built-in type by name, in catalog order. */
export const BUILTIN_TYPES: Readonly<Record<string, BuiltinType>> = {
  noop: { load: () => (require('./builtin') as typeof Builtin).noopDescription as NodeDescription },
  sleep: { load: () => (require('./builtin') as typeof Builtin).sleepDescription as NodeDescription },
  fail: { load: () => (require('./builtin') as typeof Builtin).failDescription as NodeDescription },
  'source.csv': streaming('source', () => (require('./source-csv') as typeof SourceCsv).sourceCsvDescription),
  'source.ndjson': streaming(
    'source',
    () => (require('./source-ndjson') as typeof SourceNdjson).sourceNdjsonDescription,
  ),
  'source.json': streaming('source', () => (require('./source-json') as typeof SourceJson).sourceJsonDescription),
  'source.parquet': streaming(
    'source',
    () => (require('./source-parquet') as typeof SourceParquet).sourceParquetDescription,
  ),
  'source.geojson': streaming(
    'source',
    () => (require('./source-geojson') as typeof SourceGeojson).sourceGeojsonDescription,
  ),
  'source.topojson': streaming(
    'source',
    () => (require('./source-topojson') as typeof SourceTopojson).sourceTopojsonDescription,
  ),
  'source.postgres': streaming(
    'source',
    () => (require('./source-postgres') as typeof SourcePostgres).sourcePostgresDescription,
  ),
  'source.http': streaming('source', () => (require('./source-http') as typeof SourceHttp).sourceHttpDescription),
  'transform.map': streaming(
    'transform',
    () => (require('./transform-map') as typeof TransformMap).transformMapDescription,
  ),
  'transform.filter': streaming(
    'transform',
    () => (require('./transform-filter') as typeof TransformFilter).transformFilterDescription,
  ),
  'transform.lookup': streaming(
    'transform',
    () => (require('./transform-lookup') as typeof TransformLookup).transformLookupDescription,
  ),
  'transform.sql': {
    staging: true,
    load: () => (require('./transform-sql') as typeof TransformSql).transformSqlDescription as NodeDescription,
  },
  'transform.geo': streaming(
    'transform',
    () => (require('./transform-geo') as typeof TransformGeo).transformGeoDescription,
  ),
  'sink.postgres': streaming('sink', () => (require('./sink-postgres') as typeof SinkPostgres).sinkPostgresDescription),
  'sink.file': streaming('sink', () => (require('./sink-file') as typeof SinkFile).sinkFileDescription),
};

const builtinType = (type: string): BuiltinType | undefined =>
  Object.prototype.hasOwnProperty.call(BUILTIN_TYPES, type) ? BUILTIN_TYPES[type] : undefined;

/** The names of the built-in types, in catalog order. */
export const builtinTypeNames = (): string[] => Object.keys(BUILTIN_TYPES);

/** The description of a built-in node type (loaded on first use), or undefined for any other name. */
export const builtinDescription = (type: string): NodeDescription | undefined => builtinType(type)?.load();

/** A built-in type's stream role; undefined for other types, which never fuse. */
export const streamRole = (type: string): StreamRole | undefined => builtinType(type)?.stream;

/** Whether a node of `type` may leave staging tables (only built-in types write staging). */
export const mayLeaveStaging = (type: string): boolean => builtinType(type)?.staging === true;
