/**
 * Reading a node's input dataset by reference: the staging table (or target table) an upstream node wrote, or
 * the file a `sink.file` node wrote.
 */
import type { DatasetRef, NodeOutput } from '../../model/state';
import { quoteIdent, quoteQualified } from '../../model/identifiers';
import type { DataNodeContext, GeometryForm } from '../node-type';
import type { RowChunk } from '../../data/rows/batch';
import {
  COLUMN_TYPES,
  GEOMETRY_COLUMN_KINDS,
  type ColumnSpec,
  type ColumnType,
  type GeometryColumnKind,
} from '../../model/columns/columns';
import { compileWorkerRowCheck } from '../../data/rows/row-check';
import { readCsvFile } from '../../data/formats/csv-source';
import { readNdjsonFile } from '../../data/formats/ndjson-source';
import { readGeojsonFile, type GeojsonReaderOptions } from '../../data/formats/geojson-source';
import { ewkbOptionsOf } from '../../data/geo/geometry-convert';
import { mapAsync } from '../../data/rows/map-async';
import { readTableRows } from '../../data/tables/table-source';
import { validateChunk } from '../../data/rows/validate-chunk';
import { InputDatasetError } from '../../data/errors';
import type { OpenedSource } from '../../data/rows/stream';

/** The one input of a node that reads rows, with the id of the node that produced it. */
export function singleInput(ctx: DataNodeContext<unknown>, typeName: string): { from: string; dataset: DatasetRef } {
  const entries = Object.entries(ctx.inputs);
  if (entries.length !== 1)
    throw new InputDatasetError(
      ctx.nodeId,
      `${typeName} reads exactly one input; list one node in needs (it has ${entries.length}: ${entries.map(([id]) => id).join(', ') || 'none'})`,
    );
  const [from, output] = entries[0] as [string, NodeOutput];
  if (!output.dataset)
    throw new InputDatasetError(
      ctx.nodeId,
      `input node "${from}" produced no dataset; ${typeName} needs a node that outputs rows (a source, transform or sink)`,
    );
  return { from, dataset: output.dataset };
}

/** The columns a dataset reference declares, as column specs (types it does not know read as text). */
export function datasetColumns(ref: DatasetRef): ColumnSpec[] {
  return (ref.columns ?? []).map((c) => ({
    name: c.name,
    type: (Object.prototype.hasOwnProperty.call(COLUMN_TYPES, c.type) ? c.type : 'text') as ColumnType,
    emptyIsNull: false,
    nullable: true,
    ...(c.srid !== undefined ? { srid: c.srid } : {}),
    ...(GEOMETRY_COLUMN_KINDS.some((k) => k === c.kind) ? { kind: c.kind as GeometryColumnKind } : {}),
    ...(c.z !== undefined ? { z: c.z } : {}),
  }));
}

/** Opens the node's single input dataset as a row stream. */
export async function openInputDataset(
  ctx: DataNodeContext<unknown>,
  typeName: string,
  geometry: GeometryForm = 'ewkb',
): Promise<OpenedSource> {
  const { from, dataset } = singleInput(ctx, typeName);
  const columns = datasetColumns(dataset);
  if (columns.length === 0) throw new InputDatasetError(ctx.nodeId, `input node "${from}" declared no columns`);
  if (dataset.kind === 'table') return openTable(ctx, dataset.location, columns, geometry);
  const check = compileWorkerRowCheck(columns);
  const chunks: AsyncIterable<RowChunk> =
    dataset.format === 'ndjson'
      ? readNdjsonFile(dataset.location, { columns })
      : dataset.format === 'geojson' || dataset.format === 'geojsonseq'
        ? readGeojsonFile(dataset.location, geojsonLayoutOf(dataset, columns))
        : // sink.file writes NULL as an unquoted empty field and the empty string as "".
          readCsvFile(dataset.location, { header: true, nulls: 'unquoted-empty' });
  return {
    columns,
    chunks: mapAsync(chunks, (chunk) => validateChunk(chunk, check)),
    stats: () => ({}),
    close: async () => undefined,
  };
}

/** How to read back a GeoJSON file `sink.file` wrote: its columns are id (if any), properties, geometry. */
function geojsonLayoutOf(dataset: DatasetRef, columns: readonly ColumnSpec[]): GeojsonReaderOptions {
  const id = dataset.idColumn !== undefined;
  const geometry = columns[columns.length - 1] as ColumnSpec;
  return {
    layout: dataset.format === 'geojson' ? 'collection' : 'sequence',
    id,
    properties: columns.slice(id ? 1 : 0, -1).map((c) => ({ name: c.name, key: c.name, type: c.type })),
    geometry: ewkbOptionsOf(geometry),
  };
}

async function openTable(
  ctx: DataNodeContext<unknown>,
  table: string,
  columns: ColumnSpec[],
  geometry: GeometryForm,
): Promise<OpenedSource> {
  const pool = ctx.data.pool();
  const client = await pool.connect();
  try {
    // A synchronized scan may start mid-table; every attempt must read rows in the same order, so that
    // batches numbered by position stay the same across retries.
    await client.query('SET synchronize_seqscans = off');
  } catch (err) {
    client.release(err as Error);
    throw err;
  }
  const list = columns
    .map((c) => {
      const col = quoteIdent(c.name, 'column');
      // 17 digits keep every double; options 0 leaves out the "crs" member PostGIS adds for SRIDs other than 4326.
      return c.type === 'geometry' && geometry === 'geojson' ? `ST_AsGeoJSON(${col}, 17, 0) AS ${col}` : col;
    })
    .join(', ');
  return {
    columns,
    chunks: readTableRows(client, `SELECT ${list} FROM ${quoteQualified(table)}`),
    stats: () => ({}),
    async close(failure) {
      if (failure) return client.release(failure);
      await client.query('RESET synchronize_seqscans').then(
        () => client.release(),
        (err: Error) => client.release(err),
      );
    },
  };
}
