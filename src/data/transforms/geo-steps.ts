/** Each `transform.geo` operation compiled into a step over a {@link GeoRow}: false drops the row, a throw rejects it. */
import turfBbox from '@turf/bbox';
import turfSimplify from '@turf/simplify';
import type { ColumnSpec, FieldValue, GeometryColumnKind } from '../../model/columns/columns';
import type { GeoOperation } from '../../model/geo/operations';
import { geodesicBuffer } from '../geo/buffer';
import { centroidOf } from '../geo/centroid';
import { GeometryError } from '../geo/errors';
import { geodesicArea, geodesicLength } from '../geo/geodesic';
import { mapPositions } from '../geo/positions';
import { projector } from '../geo/proj';
import type { GeoJsonGeometry } from '../geo/wkb-decode';
import { isWithin, type Region } from '../geo/within-region';
import type { GeoRow } from './geo-row';

export type GeoStep = (r: GeoRow) => boolean;

/** What a step compiler sees of the columns so far, and how it declares what it writes. */
export interface PlanColumns {
  readonly label: string;
  /**
   * The geometry column an operation reads: `name`, or the node's input's only geometry column (when the input has
   * none: the only one the operations before made).
   */
  geometryInput(name: string | undefined): { at: number; column: ColumnSpec; srid: number };
  /** Declares output column `spec` (replacing a column of that name, or added at the end); returns its position. */
  output(spec: Omit<ColumnSpec, 'emptyIsNull' | 'nullable'>): number;
  /** The position of a column read as a value (not a geometry). */
  valueInput(name: string): number;
  /** Compiles a number expression over the columns so far. */
  numberExpression(text: string): (row: FieldValue[]) => number | null;
  requireLonLat(srid: number, name: string): void;
  requireKnownSrid(srid: number, name: string): void;
}

const numberText = (n: number): string => {
  if (!Number.isFinite(n)) throw new GeometryError(`the result ${n} is not a finite number`);
  return String(n);
};

/** A buffer of a point or a line is one polygon; of anything else, a Polygon or a MultiPolygon. */
const bufferKind = (kind: GeometryColumnKind | undefined): GeometryColumnKind | undefined =>
  kind === 'Point' || kind === 'LineString' ? 'Polygon' : undefined;

export function compileStep(op: GeoOperation, cols: PlanColumns, region: Region | undefined): GeoStep {
  const { label } = cols;
  switch (op.op) {
    case 'buffer': {
      const src = cols.geometryInput(op.input);
      cols.requireLonLat(src.srid, src.column.name);
      const distance =
        typeof op.distance === 'number' ? () => op.distance as number : cols.numberExpression(op.distance);
      const kind = bufferKind(src.column.kind);
      const at = cols.output({ name: op.output ?? src.column.name, type: 'geometry', srid: 4326, kind, z: false });
      return (r) => {
        const metres = distance(r.vals);
        if (metres === null || !Number.isFinite(metres))
          throw new GeometryError(`the distance is ${metres === null ? 'NULL' : metres}, not a number of metres`);
        r.setGeometry(at, geodesicBuffer(r.geometry(src.at), metres, op.steps), label);
        return true;
      };
    }
    case 'reproject': {
      const src = cols.geometryInput(op.input);
      cols.requireKnownSrid(src.srid, src.column.name);
      const project = projector(src.srid, op.to);
      const { kind, z } = src.column;
      const at = cols.output({ name: op.output ?? src.column.name, type: 'geometry', srid: op.to, kind, z });
      return (r) => {
        r.setGeometry(at, mapPositions(r.geometry(src.at), project), label);
        return true;
      };
    }
    case 'centroid': {
      const src = cols.geometryInput(op.input);
      const at = cols.output({
        name: op.output ?? src.column.name,
        type: 'geometry',
        srid: src.srid,
        kind: 'Point',
        z: false,
      });
      return (r) => {
        r.setGeometry(at, centroidOf(r.geometry(src.at)), label);
        return true;
      };
    }
    case 'simplify': {
      const src = cols.geometryInput(op.input);
      const { kind, z } = src.column;
      const at = cols.output({ name: op.output ?? src.column.name, type: 'geometry', srid: src.srid, kind, z });
      const options = { tolerance: op.tolerance, highQuality: op.highQuality, mutate: false };
      return (r) => {
        const g = r.geometry(src.at);
        r.setGeometry(at, turfSimplify(g as GeoJSON.Geometry, options) as GeoJsonGeometry, label);
        return true;
      };
    }
    case 'area':
    case 'length': {
      const src = cols.geometryInput(op.input);
      cols.requireLonLat(src.srid, src.column.name);
      const measure = op.op === 'area' ? geodesicArea : geodesicLength;
      const at = cols.output({ name: op.output, type: 'float' });
      return (r) => {
        r.setValue(at, numberText(measure(r.geometry(src.at))));
        return true;
      };
    }
    case 'bbox': {
      const src = cols.geometryInput(op.input);
      const at = op.output.map((name) => cols.output({ name, type: 'float' }));
      return (r) => {
        const g = r.geometry(src.at);
        const box = turfBbox(g as GeoJSON.Geometry);
        if (!box.every(Number.isFinite)) throw new GeometryError('an empty geometry has no bbox');
        at.forEach((to, k) => r.setValue(to, numberText(box[k] as number)));
        return true;
      };
    }
    case 'point': {
      const lon = cols.valueInput(op.lon);
      const lat = cols.valueInput(op.lat);
      const at = cols.output({ name: op.output, type: 'geometry', srid: 4326, kind: 'Point', z: false });
      const read = (i: number, name: string) => (r: GeoRow) => {
        const v = r.vals[i];
        const n = v === null || v === undefined || v.trim() === '' ? NaN : Number(v);
        if (!Number.isFinite(n))
          throw new GeometryError(`${name} is ${v === null ? 'NULL' : JSON.stringify(v)}, not a number`);
        return n;
      };
      const x = read(lon, op.lon);
      const y = read(lat, op.lat);
      return (r) => {
        r.setGeometry(at, { type: 'Point', coordinates: [x(r), y(r)] }, label);
        return true;
      };
    }
    case 'within': {
      const src = cols.geometryInput(op.input);
      if (!region) throw new Error(`${label}: no region was loaded`);
      return (r) => isWithin(r.geometry(src.at), region);
    }
  }
}
