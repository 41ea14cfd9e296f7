/**
 * Geodesic measures on the WGS 84 ellipsoid with GeographicLib (Karney's algorithms, the ones PostGIS uses for
 * `geography`): area in m² (`ST_Area(geography)`), length in m (`ST_Length(geography)`; a polygon's is its perimeter,
 * as `ST_Perimeter(geography)`). Turf's own area and length use a sphere, which is up to 0.7% off near the equator
 * and the poles. Positions are longitude/latitude (SRID 4326).
 */
import { Geodesic } from 'geographiclib-geodesic';
import { flattenGeometry } from './positions';
import type { GeoJsonGeometry } from './wkb-decode';

type Position = number[];
const WGS84 = Geodesic.WGS84;

function ringArea(ring: readonly Position[]): number {
  if (ring.length < 4) return 0;
  const poly = WGS84.Polygon(false);
  // The closing position repeats the first; PolygonArea closes the ring itself.
  for (let i = 0; i < ring.length - 1; i++)
    poly.AddPoint((ring[i] as Position)[1] as number, (ring[i] as Position)[0] as number);
  return Math.abs(poly.Compute(false, true).area ?? 0);
}

function lineLength(line: readonly Position[]): number {
  if (line.length < 2) return 0;
  const poly = WGS84.Polygon(true);
  for (const p of line) poly.AddPoint(p[1] as number, p[0] as number);
  return poly.Compute(false, true).perimeter;
}

const polygonArea = (rings: readonly Position[][]): number =>
  rings.reduce((sum, ring, i) => (i === 0 ? sum + ringArea(ring) : sum - ringArea(ring)), 0);

/** The geodesic area in m² (0 for points and lines). */
export function geodesicArea(g: GeoJsonGeometry): number {
  let area = 0;
  for (const part of flattenGeometry(g)) {
    if (part.type === 'Polygon') area += polygonArea(part.coordinates);
    else if (part.type === 'MultiPolygon') for (const p of part.coordinates) area += polygonArea(p);
  }
  return area;
}

/** The geodesic length in m: of lines, and of every ring of polygons (0 for points). */
export function geodesicLength(g: GeoJsonGeometry): number {
  let length = 0;
  for (const part of flattenGeometry(g)) {
    if (part.type === 'LineString') length += lineLength(part.coordinates);
    else if (part.type === 'MultiLineString' || part.type === 'Polygon')
      for (const l of part.coordinates) length += lineLength(l);
    else if (part.type === 'MultiPolygon') for (const p of part.coordinates) for (const l of p) length += lineLength(l);
  }
  return length;
}
