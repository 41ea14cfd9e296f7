/**
 * The coordinate systems `transform.geo` can reproject between, by EPSG code: WGS 84 longitude/latitude (4326), Web
 * Mercator (3857) and the WGS 84 UTM zones (32601-32660 north, 32701-32760 south). Pure: validation checks codes
 * with it; the worker builds each system's proj4 definition from the code (`src/data/geo/proj.ts`).
 */

/** What a supported code is, or undefined for a code that is not supported. */
export type EpsgSystem =
  | { readonly kind: 'lonlat' }
  | { readonly kind: 'webmercator' }
  | { readonly kind: 'utm'; readonly zone: number; readonly south: boolean };

export function epsgSystem(code: number): EpsgSystem | undefined {
  if (code === 4326) return { kind: 'lonlat' };
  if (code === 3857) return { kind: 'webmercator' };
  if (code >= 32601 && code <= 32660) return { kind: 'utm', zone: code - 32600, south: false };
  if (code >= 32701 && code <= 32760) return { kind: 'utm', zone: code - 32700, south: true };
  return undefined;
}

/** The codes a message lists as supported. */
export const SUPPORTED_EPSG = '4326, 3857 and the UTM zones 32601-32660 (north) and 32701-32760 (south)';

/** Why `code` cannot be reprojected to or from, or undefined when it can. */
export function epsgProblem(code: number): string | undefined {
  return epsgSystem(code)
    ? undefined
    : `EPSG:${code} is not a coordinate system transform.geo knows; use ${SUPPORTED_EPSG}`;
}
