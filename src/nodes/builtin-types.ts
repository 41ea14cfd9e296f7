/**
 * The implementation of every built-in node type, keyed by its name. The keys must be exactly the names of
 * `BUILTIN_NODE_DESCRIPTIONS` (`src/model/nodes/index.ts`): a type described but not implemented fails to compile, and
 * test/unit/nodes/descriptions.test.ts fails when an implementation and its description disagree.
 */
import type { BuiltinNodeTypeName } from '../model/nodes';
import { failNode, noopNode, sleepNode } from './builtin';
import { sinkFile } from './data/sink-file';
import { sinkPostgres } from './data/sink-postgres';
import { sourceCsv } from './data/source-csv';
import { sourceHttp } from './data/source-http';
import { sourceGeojson } from './data/source-geojson';
import { sourceTopojson } from './data/source-topojson';
import { sourceJson } from './data/source-json';
import { sourceNdjson } from './data/source-ndjson';
import { sourceParquet } from './data/source-parquet';
import { sourcePostgres } from './data/source-postgres';
import { transformFilter } from './data/transform-filter';
import { transformGeo } from './data/transform-geo';
import { transformLookup } from './data/transform-lookup';
import { transformMap } from './data/transform-map';
import { transformSql } from './data/transform-sql';
import type { NodeType } from './node-type';

export const BUILTIN_IMPLEMENTATIONS: { readonly [N in BuiltinNodeTypeName]: NodeType<never> } = {
  noop: noopNode as NodeType<never>,
  sleep: sleepNode as NodeType<never>,
  fail: failNode as NodeType<never>,
  'source.csv': sourceCsv as NodeType<never>,
  'source.ndjson': sourceNdjson as NodeType<never>,
  'source.json': sourceJson as NodeType<never>,
  'source.parquet': sourceParquet as NodeType<never>,
  'source.geojson': sourceGeojson as NodeType<never>,
  'source.topojson': sourceTopojson as NodeType<never>,
  'source.postgres': sourcePostgres as NodeType<never>,
  'source.http': sourceHttp as NodeType<never>,
  'transform.map': transformMap as NodeType<never>,
  'transform.filter': transformFilter as NodeType<never>,
  'transform.lookup': transformLookup as NodeType<never>,
  'transform.sql': transformSql as NodeType<never>,
  'transform.geo': transformGeo as NodeType<never>,
  'sink.postgres': sinkPostgres as NodeType<never>,
  'sink.file': sinkFile as NodeType<never>,
};
