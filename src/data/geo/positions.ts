/** Walking the positions of a GeoJSON geometry object, whatever its kind. */
import type { GeoJsonGeometry } from './wkb-decode';

type Position = number[];
type Nested = Position | Nested[];

const isPosition = (v: Nested): v is Position => v.length === 0 || typeof v[0] === 'number';

function mapNested(v: Nested, fn: (p: Position) => Position): Nested {
  return isPosition(v) ? (v.length === 0 ? v : fn(v)) : v.map((c) => mapNested(c, fn));
}

/** A copy of `g` with every position replaced by `fn` of it (an empty point stays empty). */
export function mapPositions(g: GeoJsonGeometry, fn: (p: Position) => Position): GeoJsonGeometry {
  if (g.type === 'GeometryCollection')
    return { type: g.type, geometries: g.geometries.map((c) => mapPositions(c, fn)) };
  return { type: g.type, coordinates: mapNested(g.coordinates as Nested, fn) } as GeoJsonGeometry;
}

/** Calls `fn` with every position of `g`. */
export function eachPosition(g: GeoJsonGeometry, fn: (p: Position) => void): void {
  mapPositions(g, (p) => {
    fn(p);
    return p;
  });
}

/** The single geometries of `g` (a collection's members, recursively), each with the rings or lines it holds. */
export function flattenGeometry(g: GeoJsonGeometry): GeoJsonGeometry[] {
  return g.type === 'GeometryCollection' ? g.geometries.flatMap(flattenGeometry) : [g];
}
