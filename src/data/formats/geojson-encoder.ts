/**
 * Rows as GeoJSON features for `sink.file`: one geometry column becomes the feature's geometry (hex EWKB decoded to
 * a GeoJSON geometry object, GeoJSON text as it is; NULL is `"geometry": null`), an optional column its `id`, every other column a property
 * (NULL as null, values as NDJSON writes them, another geometry column as a GeoJSON object). `geojson` writes one FeatureCollection, a chunk at a time;
 * `geojsonseq` writes an RFC 8142 text sequence (RS, the feature, LF per feature).
 */
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';
import { ewkbHexToGeojson } from '../geo/wkb-decode';
import { GeometryError } from '../geo/errors';
import { JSON_ENCODERS, type Encode, type RowTextEncoder } from './file-encoders';

export interface FeatureColumns {
  /** Index of the geometry column. */
  readonly geometry: number;
  /** Index of the id column, if any. */
  readonly id?: number;
}

const NUMERIC_ID = new Set<ColumnSpec['type']>(['int', 'bigint', 'float', 'numeric']);

/** The encoder of features from rows of `columns`, as one FeatureCollection or a text sequence. */
export function createFeatureEncoder(
  columns: readonly ColumnSpec[],
  which: FeatureColumns,
  layout: 'collection' | 'sequence',
): RowTextEncoder {
  let written = 0;
  // Another geometry column is a property holding a GeoJSON geometry object.
  const encoderOf = (c: ColumnSpec): Encode =>
    c.type === 'geometry' ? (v) => geometryJson(v, c.name, written) : JSON_ENCODERS[c.type];
  const props = columns
    .map((c, i) => ({ i, key: `${JSON.stringify(c.name)}:`, enc: encoderOf(c) }))
    .filter((p) => p.i !== which.geometry && p.i !== which.id);
  const id = which.id;
  const idEnc: Encode | undefined =
    id === undefined
      ? undefined
      : NUMERIC_ID.has((columns[id] as ColumnSpec).type)
        ? JSON_ENCODERS.float
        : JSON.stringify;
  const geometryName = (columns[which.geometry] as ColumnSpec).name;
  const feature = (row: readonly FieldValue[]): string => {
    let out = '{"type":"Feature",';
    if (id !== undefined && idEnc !== undefined) {
      const v = row[id];
      if (v !== null && v !== undefined) out += `"id":${idEnc(v)},`;
    }
    out += '"properties":{';
    for (let k = 0; k < props.length; k++) {
      const p = props[k] as (typeof props)[number];
      const v = row[p.i];
      out += (k > 0 ? ',' : '') + p.key + (v === null || v === undefined ? 'null' : p.enc(v));
    }
    const g = row[which.geometry];
    return `${out}},"geometry":${g === null || g === undefined ? 'null' : geometryJson(g, geometryName, written)}}`;
  };
  if (layout === 'sequence')
    return {
      head: '',
      tail: '',
      rows(rows) {
        let out = '';
        for (const row of rows) {
          out += `\u001e${feature(row)}\n`;
          written++;
        }
        return out;
      },
    };
  return {
    head: '{"type":"FeatureCollection","features":[\n',
    tail: '\n]}\n',
    rows(rows) {
      let out = '';
      for (const row of rows) {
        out += (written > 0 ? ',\n' : '') + feature(row);
        written++;
      }
      return out;
    },
  };
}

function geometryJson(v: string, column: string, index: number): string {
  // GeoJSON text already (Postgres's ST_AsGeoJSON, or a json column named as the geometry): written as it is.
  if (v.charCodeAt(0) === 123 /* { */) return v;
  try {
    return JSON.stringify(ewkbHexToGeojson(v));
  } catch (err) {
    if (!(err instanceof GeometryError)) throw err;
    throw new GeometryError(`feature ${index}: column ${column}: ${err.message}`);
  }
}
