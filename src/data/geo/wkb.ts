/**
 * GeoJSON geometry objects to hex EWKB, PostGIS's own text form of `geometry` (what `COPY ... TO` writes and
 * `COPY ... FROM` reads without parsing any text format). Little-endian, SRID on the outermost geometry only,
 * the Z flag when positions have three numbers. Validates while it writes: a value that is not a GeoJSON geometry
 * throws a GeometryError whose message is the reject reason.
 */
import { GeometryError } from './errors';
import { GEOMETRY_KINDS, type GeometryKind } from './kinds';

const SRID_FLAG = 0x20000000;
const Z_FLAG = 0x80000000;

/** How to encode and what to accept. */
export interface EwkbOptions {
  readonly srid: number;
  /** The kind the column holds; undefined accepts any. */
  readonly kind?: GeometryKind;
  /** Whether positions carry Z (three numbers); undefined takes it from the first position. */
  readonly z?: boolean;
}

let buf = Buffer.allocUnsafe(1 << 16);

class Writer {
  pos = 0;
  dims = 0;
  constructor(readonly checkRange: boolean) {}

  room(n: number): void {
    if (this.pos + n <= buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(buf.length * 2, this.pos + n));
    buf.copy(next, 0, 0, this.pos);
    buf = next;
  }
  u32(v: number): void {
    this.room(4);
    buf.writeUInt32LE(v, this.pos);
    this.pos += 4;
  }
  header(kind: GeometryKind, srid?: number): void {
    this.room(9);
    buf[this.pos++] = 1;
    let type = GEOMETRY_KINDS[kind] + (this.dims === 3 ? Z_FLAG : 0);
    if (srid !== undefined) type += SRID_FLAG;
    buf.writeUInt32LE(type >>> 0, this.pos);
    this.pos += 4;
    if (srid !== undefined) this.u32(srid);
  }
  position(p: unknown, where: string): void {
    if (!Array.isArray(p)) throw new GeometryError(`${where}: a position must be an array of numbers`);
    const n = p.length;
    if (n < 2) throw new GeometryError(`${where}: a position needs at least longitude and latitude`);
    if (this.dims === 0) this.dims = n >= 3 ? 3 : 2;
    const x = p[0] as unknown;
    const y = p[1] as unknown;
    if (typeof x !== 'number' || typeof y !== 'number' || !Number.isFinite(x) || !Number.isFinite(y))
      throw new GeometryError(`${where}: coordinates must be finite numbers, found ${JSON.stringify(p)}`);
    if (this.checkRange && (x < -180 || x > 180 || y < -90 || y > 90))
      throw new GeometryError(
        `${where}: [${x}, ${y}] is out of range for SRID 4326 (longitude -180..180, latitude -90..90)`,
      );
    this.room(24);
    buf.writeDoubleLE(x, this.pos);
    buf.writeDoubleLE(y, this.pos + 8);
    if (this.dims === 3) {
      const z = n >= 3 ? (p[2] as unknown) : undefined;
      if (typeof z !== 'number' || !Number.isFinite(z))
        throw new GeometryError(`${where}: mixes positions with and without Z (or Z is not a finite number)`);
      buf.writeDoubleLE(z, this.pos + 16);
      this.pos += 24;
    } else {
      this.pos += 16;
    }
  }
  positions(ps: unknown, where: string, min: number): void {
    if (!Array.isArray(ps)) throw new GeometryError(`${where}: coordinates must be an array of positions`);
    if (ps.length > 0 && ps.length < min) throw new GeometryError(`${where}: needs at least ${min} positions`);
    this.u32(ps.length);
    for (let i = 0; i < ps.length; i++) this.position(ps[i], where);
  }
  ring(ps: unknown, where: string): void {
    this.positions(ps, where, 4);
    const r = ps as unknown[];
    if (r.length === 0) return;
    const a = r[0] as number[];
    const b = r[r.length - 1] as number[];
    if (a[0] !== b[0] || a[1] !== b[1] || (this.dims === 3 && a[2] !== b[2]))
      throw new GeometryError(`${where}: a polygon ring must end where it starts`);
  }
  rings(rs: unknown, where: string): void {
    if (!Array.isArray(rs)) throw new GeometryError(`${where}: coordinates must be an array of rings`);
    this.u32(rs.length);
    for (let i = 0; i < rs.length; i++) this.ring(rs[i], where);
  }
  parts(cs: unknown, where: string, kind: GeometryKind, body: (c: unknown) => void): void {
    if (!Array.isArray(cs)) throw new GeometryError(`${where}: coordinates must be an array`);
    this.u32(cs.length);
    for (let i = 0; i < cs.length; i++) {
      this.header(kind);
      body(cs[i]);
    }
  }
  geometry(g: unknown, srid: number | undefined, depth: number): void {
    if (typeof g !== 'object' || g === null || Array.isArray(g))
      throw new GeometryError(`not a GeoJSON geometry object: ${JSON.stringify(g)?.slice(0, 80)}`);
    const { type, coordinates: c } = g as { type?: unknown; coordinates?: unknown };
    if (typeof type !== 'string' || !Object.hasOwn(GEOMETRY_KINDS, type))
      throw new GeometryError(`not a GeoJSON geometry type: ${JSON.stringify(type)}`);
    const kind = type as GeometryKind;
    if (kind === 'GeometryCollection') {
      const gs = (g as { geometries?: unknown }).geometries;
      if (!Array.isArray(gs)) throw new GeometryError('GeometryCollection: geometries must be an array');
      if (depth > 32) throw new GeometryError('GeometryCollection: nested too deeply');
      if (this.dims === 0) this.dims = firstDims(gs);
      this.header(kind, srid);
      this.u32(gs.length);
      for (let i = 0; i < gs.length; i++) this.geometry(gs[i], undefined, depth + 1);
      return;
    }
    if (c === undefined) throw new GeometryError(`${kind}: coordinates are missing`);
    if (this.dims === 0) this.dims = firstDims(c);
    this.header(kind, srid);
    switch (kind) {
      case 'Point':
        if (Array.isArray(c) && c.length === 0) {
          // PostGIS writes an empty point as NaN coordinates.
          this.room(32);
          for (let i = 0; i < this.dims; i++) buf.writeDoubleLE(NaN, this.pos + 8 * i);
          this.pos += 8 * this.dims;
        } else this.position(c, kind);
        return;
      case 'LineString':
        return this.positions(c, kind, 2);
      case 'Polygon':
        return this.rings(c, kind);
      case 'MultiPoint':
        return this.parts(c, kind, 'Point', (p) => this.position(p, kind));
      case 'MultiLineString':
        return this.parts(c, kind, 'LineString', (l) => this.positions(l, kind, 2));
      case 'MultiPolygon':
        return this.parts(c, kind, 'Polygon', (r) => this.rings(r, kind));
    }
  }
}

/** 3 or 2 from the first position found in nested coordinates (2 when there is none). */
function firstDims(c: unknown): number {
  let v = c;
  for (let depth = 0; depth < 5 && Array.isArray(v); depth++) {
    if (v.length === 0) return 2;
    if (typeof v[0] === 'number') return v.length >= 3 ? 3 : 2;
    v = v[0];
  }
  if (typeof v === 'object' && v !== null && 'coordinates' in v) return firstDims(v.coordinates);
  if (typeof v === 'object' && v !== null && 'geometries' in v && Array.isArray(v.geometries))
    return firstDims(v.geometries[0]);
  return 2;
}

/**
 * Hex EWKB of a GeoJSON geometry object. Throws a GeometryError naming what is wrong: not a geometry, a kind the
 * column does not hold, Z where the column has none (or the reverse), coordinates out of range for SRID 4326.
 */
export function geojsonToEwkbHex(geometry: unknown, options: EwkbOptions): string {
  const w = new Writer(options.srid === 4326);
  if (options.z !== undefined) w.dims = options.z ? 3 : 2;
  w.geometry(geometry, options.srid, 0);
  const kind = (geometry as { type: GeometryKind }).type;
  if (options.kind !== undefined && options.kind !== kind)
    throw new GeometryError(`a ${kind} in a column of ${options.kind}`);
  return buf.toString('hex', 0, w.pos);
}
