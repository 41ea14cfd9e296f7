/**
 * `sink.file`: writes rows to a CSV, NDJSON or GeoJSON file that appears whole or not at all (temp file, fsync,
 * rename); a retry rewrites it from the start, removing the temp file of an attempt that was killed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputDatasetError, InputFileError } from '../../data/errors';
import { writeRowsToFile } from '../../data/files/file-sink';
import type { FeatureColumns } from '../../data/formats/geojson-encoder';
import { GeometryError } from '../../data/geo/errors';
import type { ColumnSpec } from '../../model/columns/columns';
import { defineStreamNode } from './define';
import { datasetColumn } from '../../model/state';
import { formatOf, sinkFileDescription, type SinkFileParams } from '../../model/nodes/sink-file';

/** The geometry and id columns of a GeoJSON file: as named, else the input's only geometry column. */
function featureColumnsOf(nodeId: string, p: SinkFileParams, columns: readonly ColumnSpec[]): FeatureColumns {
  const list = columns.map((c) => `${c.name} ${c.type}`).join(', ');
  const index = (name: string, what: string): number => {
    const i = columns.findIndex((c) => c.name === name);
    if (i < 0) throw new InputDatasetError(nodeId, `${what} ${name} is not a column of the input (it has: ${list})`);
    return i;
  };
  let geometry: number;
  if (p.geometry !== undefined) {
    geometry = index(p.geometry, 'geometry');
    const type = columns[geometry]?.type;
    // A json or text column may hold GeoJSON geometry text, such as a query's ST_AsGeoJSON(geom, 17).
    if (type !== 'geometry' && type !== 'json' && type !== 'text')
      throw new InputDatasetError(
        nodeId,
        `geometry ${p.geometry} is ${type}; name a geometry column, or a json or text column of GeoJSON geometries (the input has: ${list})`,
      );
  } else {
    const found = columns.flatMap((c, i) => (c.type === 'geometry' ? [i] : []));
    if (found.length !== 1)
      throw new InputDatasetError(
        nodeId,
        found.length === 0
          ? `a GeoJSON file needs a geometry column and the input has none (it has: ${list}); ` +
              'make one in a transform.sql or transform.geo, or write csv or ndjson'
          : `the input has several geometry columns (${found.map((i) => columns[i]?.name).join(', ')}); set geometry to one`,
      );
    geometry = found[0] as number;
  }
  if (p.idColumn === undefined) return { geometry };
  const id = index(p.idColumn, 'idColumn');
  if (id === geometry) throw new InputDatasetError(nodeId, `idColumn ${p.idColumn} is also the geometry column`);
  return { geometry, id };
}

const isGeojson = (p: SinkFileParams): boolean => formatOf(p) === 'geojson' || formatOf(p) === 'geojsonseq';

export const sinkFile = defineStreamNode(sinkFileDescription, {
  // From a table, Postgres writes GeoJSON faster than the worker decodes hex EWKB (npm run bench:geo-read).
  inputGeometry: (ctx) => (isGeojson(ctx.params) ? 'geojson' : undefined),
  async sink(ctx, input) {
    const p = ctx.params;
    const target = path.resolve(p.path);
    const dir = path.dirname(target);
    if (!fs.existsSync(dir))
      throw new InputFileError(ctx.nodeId, p.path, `the directory ${dir} does not exist; create it first`);
    const format = formatOf(p);
    const features = isGeojson(p) ? featureColumnsOf(ctx.nodeId, p, input.columns) : undefined;
    const started = Date.now();
    const written = await writeRowsToFile(target, format, input.columns, input.chunks, {
      header: p.header,
      delimiter: p.delimiter,
      ...(features ? { features } : {}),
      signal: ctx.signal,
      owner: {
        id: createHash('sha1')
          .update(`${ctx.workflowId}\u0000${ctx.runId}\u0000${ctx.nodeId}`)
          .digest('hex')
          .slice(0, 12),
        attempt: ctx.attempt,
      },
      onChunk: (rows: number) => ctx.heartbeat({ rows }),
    }).catch((err: unknown) => {
      // Rows carry checked hex EWKB: one that does not decode is bad input upstream, which a retry cannot mend.
      if (err instanceof GeometryError) throw new InputDatasetError(ctx.nodeId, `cannot write GeoJSON: ${err.message}`);
      throw err;
    });
    return {
      stats: { rowsWritten: written.rows, bytes: written.bytes, ms: Date.now() - started },
      dataset: {
        kind: 'file',
        location: target,
        format,
        rows: written.rows,
        columns: fileColumns(input.columns, features).map((c) => datasetColumn(c, c.name)),
        ...(features?.id !== undefined ? { idColumn: input.columns[features.id]?.name } : {}),
      },
    };
  },
});

/** The columns in the order a GeoJSON file is read back (id, properties, geometry); other formats as written. */
function fileColumns(columns: readonly ColumnSpec[], features: FeatureColumns | undefined): readonly ColumnSpec[] {
  if (!features) return columns;
  const at = (i: number | undefined) => (i === undefined ? [] : [columns[i] as ColumnSpec]);
  const rest = columns.filter((_, i) => i !== features.geometry && i !== features.id);
  return [...at(features.id), ...rest, ...at(features.geometry)];
}
