/**
 * One row in flight through `transform.geo`'s operations: its values, and the geometry objects decoded from them.
 * Each geometry column is decoded at most once per row (on first use) and encoded at most once (at the end, if an
 * operation wrote it), whatever the number of operations.
 */
import type { ColumnSpec, FieldValue } from '../../model/columns/columns';
import { GeometryError } from '../geo/errors';
import { ewkbOptionsOf } from '../geo/geometry-convert';
import { geojsonToEwkbHex } from '../geo/wkb';
import { decodeEwkbHex, type GeoJsonGeometry } from '../geo/wkb-decode';

export class GeoRow {
  readonly geoms: Array<GeoJsonGeometry | undefined>;
  /** Per column: the label of the operation that last wrote a geometry there, until it is encoded. */
  readonly written: Array<string | undefined>;

  constructor(readonly vals: FieldValue[]) {
    this.geoms = new Array<GeoJsonGeometry | undefined>(vals.length);
    this.written = new Array<string | undefined>(vals.length);
  }

  /** The geometry of column `at`; throws the reject reason when it is NULL or not a geometry. */
  geometry(at: number): GeoJsonGeometry {
    const cached = this.geoms[at];
    if (cached) return cached;
    const v = this.vals[at];
    if (v === null || v === undefined) throw new GeometryError('the geometry is NULL');
    const g = v.charCodeAt(0) === 123 /* { */ ? (JSON.parse(v) as GeoJsonGeometry) : decodeEwkbHex(v).geometry;
    this.geoms[at] = g;
    return g;
  }

  setGeometry(at: number, g: GeoJsonGeometry, label: string): void {
    this.geoms[at] = g;
    this.written[at] = label;
  }

  setValue(at: number, v: FieldValue): void {
    this.vals[at] = v;
    this.geoms[at] = undefined;
    this.written[at] = undefined;
  }

  /** The values, with every geometry an operation wrote encoded as hex EWKB for its column. */
  finish(columns: readonly ColumnSpec[]): FieldValue[] {
    for (let at = 0; at < this.written.length; at++) {
      const label = this.written[at];
      if (label === undefined) continue;
      try {
        this.vals[at] = geojsonToEwkbHex(this.geoms[at], ewkbOptionsOf(columns[at] as ColumnSpec));
      } catch (err) {
        throw new Error(`${label}: result for column ${(columns[at] as ColumnSpec).name}: ${(err as Error).message}`);
      }
    }
    return this.vals;
  }
}
