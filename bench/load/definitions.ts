/**
 * The benchmark pipeline, as a user writes it: `source.csv` -> `transform.map` (one computed column in the
 * expression language) -> `sink.postgres`. The three nodes fuse into one activity.
 */
import type { PipelineDefinitionInput } from '../../src/model/schema';
import { DIRTY_COLUMNS } from './dirty-data';
import { SOURCE_COLUMNS } from './generate-csv';

export interface LoadPipelineOptions {
  readonly name: string;
  readonly file: string;
  /** `schema.table`, existing, with the source columns plus `amount numeric`. */
  readonly table: string;
  readonly mode: 'append' | 'upsert';
  readonly batchRows: number;
}

export function loadPipeline(o: LoadPipelineOptions): PipelineDefinitionInput {
  return {
    name: o.name,
    defaults: { retry: { maximumAttempts: 1 } },
    nodes: [
      { id: 'extract', type: 'source.csv', params: { path: o.file, header: true, columns: SOURCE_COLUMNS } },
      {
        id: 'amount',
        type: 'transform.map',
        needs: ['extract'],
        params: { compute: [{ name: 'amount', expr: 'qty * price', type: 'numeric' }] },
      },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['amount'],
        params: {
          table: o.table,
          mode: o.mode,
          batchRows: o.batchRows,
          ...(o.mode === 'upsert' ? { key: ['id'] } : {}),
        },
      },
    ],
  };
}

/** The dirty CSV or its Parquet twin straight into Postgres: `source.csv` or `source.parquet` -> `sink.postgres`. */
export function formatPipeline(o: {
  readonly file: string;
  readonly format: 'csv' | 'parquet';
  readonly table: string;
  readonly batchRows: number;
}): PipelineDefinitionInput {
  const source =
    o.format === 'csv'
      ? { id: 'extract', type: 'source.csv', params: { path: o.file, header: true, columns: DIRTY_COLUMNS } }
      : { id: 'extract', type: 'source.parquet', params: { path: o.file } };
  return {
    name: `bench-load-${o.format}`,
    defaults: { retry: { maximumAttempts: 1 } },
    nodes: [
      source,
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['extract'],
        params: { table: o.table, mode: 'append', batchRows: o.batchRows },
      },
    ],
  };
}
