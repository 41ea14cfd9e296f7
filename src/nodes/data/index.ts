/** The built-in data node types: sources, transforms and sinks that move rows through Postgres and files. */
import type { NodeType } from '../node-type';
import { sinkFile } from './sink-file';
import { sinkPostgres } from './sink-postgres';
import { sourceCsv } from './source-csv';
import { sourceHttp } from './source-http';
import { sourceNdjson } from './source-ndjson';
import { sourcePostgres } from './source-postgres';
import { transformFilter } from './transform-filter';
import { transformLookup } from './transform-lookup';
import { transformMap } from './transform-map';
import { transformSql } from './transform-sql';

export const DATA_NODE_TYPE_LIST: readonly NodeType<never>[] = [
  sourceCsv,
  sourceNdjson,
  sourcePostgres,
  sourceHttp,
  transformMap,
  transformFilter,
  transformLookup,
  transformSql,
  sinkPostgres,
  sinkFile,
] as NodeType<never>[];
