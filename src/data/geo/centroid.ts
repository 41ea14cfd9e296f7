/**
 * The centroid as PostGIS's `ST_Centroid(geometry)` computes it, in the geometry's own coordinates: of the parts of
 * highest dimension, area-weighted for polygons (holes subtracted), length-weighted for lines, the mean for points;
 * a degenerate polygon (no area) or line (no length) falls back to the next dimension down. Turf's `centroid` is the
 * mean of all vertices and its `centerOfMass` walks holes as part of the outer ring and takes the convex hull of a
 * MultiPolygon, so neither agrees with PostGIS.
 */
import { GeometryError } from './errors';
import { flattenGeometry } from './positions';
import type { GeoJsonGeometry } from './wkb-decode';

type Position = number[];
interface Sum {
  w: number;
  x: number;
  y: number;
}

function addRing(ring: readonly Position[], sign: 1 | -1, ox: number, oy: number, s: Sum): void {
  let a = 0;
  let cx = 0;
  let cy = 0;
  // Relative to a fixed origin, so large coordinates (UTM metres) keep their precision.
  for (let i = 0; i + 1 < ring.length; i++) {
    const x0 = (ring[i] as Position)[0]! - ox;
    const y0 = (ring[i] as Position)[1]! - oy;
    const x1 = (ring[i + 1] as Position)[0]! - ox;
    const y1 = (ring[i + 1] as Position)[1]! - oy;
    const cross = x0 * y1 - x1 * y0;
    a += cross;
    cx += (x0 + x1) * cross;
    cy += (y0 + y1) * cross;
  }
  if (a === 0) return;
  const area = Math.abs(a / 2) * sign;
  s.w += area;
  s.x += (cx / (3 * a)) * area;
  s.y += (cy / (3 * a)) * area;
}

function addLine(line: readonly Position[], ox: number, oy: number, s: Sum): void {
  for (let i = 0; i + 1 < line.length; i++) {
    const [x0 = 0, y0 = 0] = line[i] as Position;
    const [x1 = 0, y1 = 0] = line[i + 1] as Position;
    const len = Math.hypot(x1 - x0, y1 - y0);
    s.w += len;
    s.x += ((x0 + x1) / 2 - ox) * len;
    s.y += ((y0 + y1) / 2 - oy) * len;
  }
}

/** The centroid of `g` as a GeoJSON Point; throws a GeometryError for an empty geometry. */
export function centroidOf(g: GeoJsonGeometry): { type: 'Point'; coordinates: [number, number] } {
  const parts = flattenGeometry(g);
  const polygons: Position[][][] = [];
  const lines: Position[][] = [];
  const points: Position[] = [];
  for (const p of parts) {
    if (p.type === 'Polygon') polygons.push(p.coordinates);
    else if (p.type === 'MultiPolygon') polygons.push(...p.coordinates);
    else if (p.type === 'LineString') lines.push(p.coordinates);
    else if (p.type === 'MultiLineString') lines.push(...p.coordinates);
    else if (p.type === 'MultiPoint') points.push(...p.coordinates);
    else if (p.type === 'Point' && p.coordinates.length > 0) points.push(p.coordinates);
  }
  const first = polygons[0]?.[0]?.[0] ?? lines[0]?.[0] ?? points[0];
  if (!first) throw new GeometryError('an empty geometry has no centroid');
  const [ox = 0, oy = 0] = first;
  const s: Sum = { w: 0, x: 0, y: 0 };
  for (const rings of polygons) rings.forEach((ring, i) => addRing(ring, i === 0 ? 1 : -1, ox, oy, s));
  if (s.w === 0) for (const rings of polygons) for (const ring of rings) addLine(ring, ox, oy, s);
  if (s.w === 0) for (const line of lines) addLine(line, ox, oy, s);
  if (s.w === 0) {
    const all = [...points, ...lines.flat(), ...polygons.flat(2)];
    for (const [x = 0, y = 0] of all) {
      s.w += 1;
      s.x += x - ox;
      s.y += y - oy;
    }
  }
  return { type: 'Point', coordinates: [ox + s.x / s.w, oy + s.y / s.w] };
}
