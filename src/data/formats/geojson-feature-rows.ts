/**
 * One GeoJSON feature's text as a row: the feature `id` (when asked for), the declared property columns (taken from
 * `properties` as `source.json` takes keys from a record), and the geometry as hex EWKB (NULL for a null geometry).
 * A feature that is not a Feature, or whose geometry the column cannot hold, is refused with the reason, naming the
 * feature by index and id.
 */
import type { FieldValue } from '../../model/columns/columns';
import { GeometryError } from '../geo/errors';
import { geojsonToEwkbHex, type EwkbOptions } from '../geo/wkb';
import { formatNumber, JsonRecordRows, type RecordColumn } from './json-records';

/** What a feature becomes: the id column (first, when present), the properties, the geometry column (last). */
export interface FeatureRowLayout {
  readonly id: boolean;
  readonly properties: readonly RecordColumn[];
  readonly geometry: EwkbOptions;
}

/** A feature read into a row, or why it was not: `syntax` when the text is not JSON at all. */
export type FeatureRead =
  { readonly row: FieldValue[]; readonly reason?: undefined } | { readonly reason: string; readonly syntax: boolean };

export class FeatureRows {
  private readonly properties: JsonRecordRows;

  constructor(private readonly layout: FeatureRowLayout) {
    this.properties = new JsonRecordRows(layout.properties);
  }

  /** The row of feature number `index` (0-based) whose text is `text`. */
  read(text: string, index: number): FeatureRead {
    let f: unknown;
    try {
      f = JSON.parse(text);
    } catch (err) {
      return { reason: `feature ${index}: not valid JSON: ${(err as Error).message}`, syntax: true };
    }
    return this.feature(f, index);
  }

  /** The row of feature number `index` (0-based), already parsed (as `topojson-client` makes them). */
  feature(f: unknown, index: number): FeatureRead {
    if (typeof f !== 'object' || f === null || (f as { type?: unknown }).type !== 'Feature')
      return { reason: `feature ${index}: not a GeoJSON Feature (its "type" must be "Feature")`, syntax: false };
    const { id, properties, geometry } = f as { id?: unknown; properties?: unknown; geometry?: unknown };
    const name = id === undefined ? `feature ${index}` : `feature ${index} (id ${JSON.stringify(id)})`;
    const props = properties ?? {};
    const converted = this.properties.convert(props);
    if (typeof converted === 'string')
      return {
        reason: `${name}: ${typeof props === 'object' ? converted : 'properties must be an object or null'}`,
        syntax: false,
      };
    let geom: string | null = null;
    if (geometry !== null && geometry !== undefined) {
      try {
        geom = geojsonToEwkbHex(geometry, this.layout.geometry);
      } catch (err) {
        if (!(err instanceof GeometryError)) throw err;
        return { reason: `${name}: geometry: ${err.message}`, syntax: false };
      }
    } else if (geometry === undefined)
      return { reason: `${name}: has no "geometry" member (null is allowed)`, syntax: false };
    const row = converted.row;
    if (this.layout.id) row.unshift(idText(id));
    row.push(geom);
    return { row };
  }
}

function idText(id: unknown): FieldValue {
  if (typeof id === 'number') return formatNumber(id);
  if (typeof id === 'string') return id;
  return null;
}
