/**
 * Buffers in metres. A point's buffer is its geodesic circle on WGS 84 (GeographicLib). Other kinds go through
 * Turf: Turf projects the geometry with an azimuthal equidistant projection centred on it,
 * buffers there (JSTS, `steps` segments per quarter circle as PostGIS's `quad_segs`) and projects back, all on a
 * sphere. The distance is given to Turf in radians of the ellipsoid's Gaussian radius at the geometry's centre, so
 * buffers keep their true size on WGS 84 at every latitude (a sphere's radius is off by up to 0.7% near the poles).
 */
import turfBbox from '@turf/bbox';
import turfBuffer from '@turf/buffer';
import { Geodesic } from 'geographiclib-geodesic';
import { GeometryError } from './errors';
import type { GeoJsonGeometry } from './wkb-decode';

const A = 6378137;
const E2 = 0.00669437999014; // WGS 84 first eccentricity squared

/** The ellipsoid's Gaussian mean radius of curvature, √(MN), at latitude `lat` (degrees). */
export function gaussianRadius(lat: number): number {
  const s = Math.sin((lat * Math.PI) / 180);
  return (A * Math.sqrt(1 - E2)) / (1 - E2 * s * s);
}

/** Whether a ring jumps by more than 180° of longitude from one position to the next (Turf wraps at ±180). */
function crossesAntimeridian(g: GeoJSON.Polygon | GeoJSON.MultiPolygon): boolean {
  const polygons = g.type === 'Polygon' ? [g.coordinates] : g.coordinates;
  for (const rings of polygons)
    for (const ring of rings)
      for (let i = 1; i < ring.length; i++)
        if (Math.abs((ring[i]?.[0] as number) - (ring[i - 1]?.[0] as number)) > 180) return true;
  return false;
}

const LATLON = Geodesic.LATITUDE | Geodesic.LONGITUDE;

/**
 * A point's buffer: the polygon of `4 * steps` vertices on the geodesic circle (GeographicLib's direct problem on
 * WGS 84), starting east and turning counterclockwise, as JSTS places them around a point. Exact, and far faster
 * than JSTS's general buffer for what is the commonest case.
 */
function pointBuffer([lon = 0, lat = 0]: readonly number[], metres: number, steps: number): GeoJSON.Polygon {
  const n = 4 * steps;
  const ring: number[][] = new Array(n + 1);
  for (let k = 0; k < n; k++) {
    const d = Geodesic.WGS84.Direct(lat, lon, 90 - (360 * k) / n, metres, LATLON);
    ring[k] = [d.lon2 as number, d.lat2 as number];
  }
  ring[n] = ring[0] as number[];
  return { type: 'Polygon', coordinates: [ring] };
}

/** The buffer of a longitude/latitude geometry by `metres`, as a Polygon or MultiPolygon. */
export function geodesicBuffer(g: GeoJsonGeometry, metres: number, steps: number): GeoJsonGeometry {
  if (g.type === 'GeometryCollection') throw new GeometryError('buffer of a GeometryCollection is not supported');
  if (g.coordinates.length === 0) throw new GeometryError('buffer of an empty geometry');
  if (g.type === 'Point') {
    if (!(metres > 0)) throw new GeometryError(`buffer by ${metres} m leaves nothing`);
    return checked(pointBuffer(g.coordinates, metres, steps), metres);
  }
  const [, minY = 0, , maxY = 0] = turfBbox(g as GeoJSON.Geometry);
  const radians = metres / gaussianRadius((minY + maxY) / 2);
  const out = turfBuffer(g as GeoJSON.Geometry, radians, { units: 'radians', steps }) as
    GeoJSON.Feature<GeoJSON.Polygon | GeoJSON.MultiPolygon> | undefined;
  if (!out) throw new GeometryError(`buffer by ${metres} m leaves nothing`);
  return checked(out.geometry, metres);
}

function checked(g: GeoJSON.Polygon | GeoJSON.MultiPolygon, metres: number): GeoJsonGeometry {
  if (crossesAntimeridian(g))
    throw new GeometryError(
      `buffer by ${metres} m crosses the antimeridian (longitude ±180), which a polygon in longitude/latitude ` +
        'cannot hold unsplit',
    );
  return g as GeoJsonGeometry;
}
