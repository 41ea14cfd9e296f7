/** The GeoJSON geometry kinds, with their WKB type codes (OGC Simple Features). */
export const GEOMETRY_KINDS = {
  Point: 1,
  LineString: 2,
  Polygon: 3,
  MultiPoint: 4,
  MultiLineString: 5,
  MultiPolygon: 6,
  GeometryCollection: 7,
} as const;
/** A GeoJSON geometry kind. */
export type GeometryKind = keyof typeof GEOMETRY_KINDS;

export const GEOMETRY_KIND_NAMES = Object.keys(GEOMETRY_KINDS) as [GeometryKind, ...GeometryKind[]];

/** The SRID a geometry column has unless it declares one: WGS 84 longitude/latitude, as GeoJSON (RFC 7946) is. */
export const DEFAULT_SRID = 4326;

/** The kind named by a WKB type code (flags masked off), or undefined. */
export function kindOfCode(code: number): GeometryKind | undefined {
  return GEOMETRY_KIND_NAMES.find((k) => GEOMETRY_KINDS[k] === code);
}

/** The kind, Z and SRID of a Postgres `geometry(PointZ,4326)` type as `format_type` writes it (plain `geometry`: none). */
export function geometryTypmod(pgType: string): { kind?: GeometryKind; z: boolean; srid: number } {
  const m = /^geometry\((\w+?)(ZM|Z|M)?,(\d+)\)/i.exec(pgType.replace(/\s+/g, ''));
  if (!m) return { z: false, srid: 0 };
  const kind = GEOMETRY_KIND_NAMES.find((k) => k.toLowerCase() === m[1]?.toLowerCase());
  return { ...(kind ? { kind } : {}), z: m[2] === 'Z', srid: Number(m[3]) };
}
