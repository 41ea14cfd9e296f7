/**
 * The region of a `within` filter: a bbox, an inline GeoJSON polygon, or the polygons of a GeoJSON file (read once,
 * when the stage is built), as one Turf Polygon or MultiPolygon feature; and the test of a row's geometry against it
 * with Turf's `booleanWithin` (inside, not on the boundary only: as PostGIS's `ST_Within`).
 */
import fs from 'node:fs/promises';
import booleanWithin from '@turf/boolean-within';
import { GeometryError } from './errors';
import { geojsonToEwkbHex } from './wkb';
import type { GeoJsonGeometry } from './wkb-decode';

type Position = number[];
export type Region = GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon>;

/** Thrown when the region given is not polygons; the message says what was found. */
export class RegionError extends Error {}

function collect(v: unknown, out: Position[][][], where: string): void {
  const o = v as { type?: unknown; coordinates?: unknown; geometry?: unknown; features?: unknown };
  if (typeof o !== 'object' || o === null) throw new RegionError(`${where}: not a GeoJSON object`);
  switch (o.type) {
    case 'FeatureCollection':
      if (!Array.isArray(o.features)) throw new RegionError(`${where}: a FeatureCollection needs "features"`);
      o.features.forEach((f, i) => collect(f, out, `${where} feature ${i}`));
      return;
    case 'Feature':
      collect(o.geometry, out, where);
      return;
    case 'Polygon':
    case 'MultiPolygon':
      try {
        geojsonToEwkbHex(o, { srid: 0 });
      } catch (err) {
        throw new RegionError(`${where}: ${(err as Error).message}`);
      }
      if (o.type === 'Polygon') out.push(o.coordinates as Position[][]);
      else out.push(...(o.coordinates as Position[][][]));
      return;
    default:
      throw new RegionError(`${where}: a ${String(o.type)}, not a Polygon or MultiPolygon`);
  }
}

/** The region of polygons in a GeoJSON value (a geometry, Feature or FeatureCollection). */
export function regionOf(v: unknown, where: string): Region {
  const polygons: Position[][][] = [];
  collect(v, polygons, where);
  if (polygons.length === 0) throw new RegionError(`${where}: holds no polygon`);
  const geometry: GeoJSON.Polygon | GeoJSON.MultiPolygon =
    polygons.length === 1
      ? { type: 'Polygon', coordinates: polygons[0] as Position[][] }
      : { type: 'MultiPolygon', coordinates: polygons };
  return { type: 'Feature', properties: {}, geometry };
}

/** The region of a bbox `[minx, miny, maxx, maxy]`. */
export function bboxRegion([x0, y0, x1, y1]: readonly [number, number, number, number]): Region {
  const ring = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ];
  return { type: 'Feature', properties: {}, geometry: { type: 'Polygon', coordinates: [ring] } };
}

/** The region of the polygons in a GeoJSON file (already resolved and checked readable). */
export async function fileRegion(file: string): Promise<Region> {
  let value: unknown;
  try {
    value = JSON.parse(await fs.readFile(file, 'utf8'));
  } catch (err) {
    throw new RegionError(`not JSON: ${(err as Error).message}`);
  }
  return regionOf(value, 'the file');
}

/** Whether `g` lies within the region; throws a GeometryError for a kind Turf cannot compare. */
export function isWithin(g: GeoJsonGeometry, region: Region): boolean {
  if (g.type === 'GeometryCollection') throw new GeometryError('within: a GeometryCollection is not supported');
  if (g.coordinates.length === 0) return false;
  try {
    return booleanWithin(g as GeoJSON.Geometry, region);
  } catch (err) {
    throw new GeometryError(`within: ${(err as Error).message}`);
  }
}
