/**
 * The converter of a `geometry` column's values: GeoJSON geometry text becomes hex EWKB (validated: kind, Z, range
 * for SRID 4326), hex (E)WKB is checked and given the column's SRID. Rows carry hex EWKB from then on, which is
 * what COPY writes and what Postgres gives back.
 */
import type { ColumnSpec, ValueConvert, ValueConverters } from '../../model/columns/columns';
import { checkEwkbHex } from './ewkb-hex';
import { GeometryError } from './errors';
import { DEFAULT_SRID } from './kinds';
import { geojsonToEwkbHex, type EwkbOptions } from './wkb';

/** The encoding options of a geometry column. */
export function ewkbOptionsOf(column: Pick<ColumnSpec, 'srid' | 'kind' | 'z'>): EwkbOptions {
  return { srid: column.srid ?? DEFAULT_SRID, kind: column.kind, z: column.z ?? false };
}

/** The converter for one geometry column. */
export function geometryConverter(column: ColumnSpec): ValueConvert {
  const options = ewkbOptionsOf(column);
  return (v) => {
    if (v.charCodeAt(0) !== 123 /* { */) return checkEwkbHex(v, options);
    let g: unknown;
    try {
      g = JSON.parse(v);
    } catch (err) {
      throw new GeometryError(`not valid JSON: ${(err as Error).message}`);
    }
    return geojsonToEwkbHex(g, options);
  };
}

/** The converters the worker's row checks use. */
export const WORKER_CONVERTERS: ValueConverters = { geometry: geometryConverter };
