/**
 * Hex (E)WKB to GeoJSON geometry objects: the way back from what rows carry (and what Postgres gives for a
 * `geometry` column) to what Turf, a GeoJSON file and a user read. Either byte order, per geometry; the SRID and Z
 * flags of EWKB and ISO WKB's Z codes (1001..1007); M values are dropped (GeoJSON has no M). A PostGIS empty point
 * (NaN coordinates) becomes `coordinates: []`. Throws a GeometryError when the value is not well-formed WKB.
 */
import { GeometryError } from './errors';
import { kindOfCode, type GeometryKind } from './kinds';

const SRID_FLAG = 0x20000000;
const Z_FLAG = 0x80000000;
const M_FLAG = 0x40000000;

type Position = number[];

/** A GeoJSON geometry object (RFC 7946). */
export type GeoJsonGeometry =
  | { type: 'Point'; coordinates: Position | [] }
  | { type: 'LineString' | 'MultiPoint'; coordinates: Position[] }
  | { type: 'Polygon' | 'MultiLineString'; coordinates: Position[][] }
  | { type: 'MultiPolygon'; coordinates: Position[][][] }
  | { type: 'GeometryCollection'; geometries: GeoJsonGeometry[] };

/** A decoded value: its geometry and the SRID its EWKB header names (undefined for plain WKB). */
export interface DecodedGeometry {
  readonly geometry: GeoJsonGeometry;
  readonly srid?: number;
}

class Reader {
  pos = 0;
  little = true;
  constructor(readonly b: Buffer) {}

  need(n: number): void {
    if (this.pos + n > this.b.length) throw new GeometryError(`WKB ends early, at byte ${this.b.length}`);
  }
  u32(): number {
    this.need(4);
    const v = this.little ? this.b.readUInt32LE(this.pos) : this.b.readUInt32BE(this.pos);
    this.pos += 4;
    return v;
  }
  f64(): number {
    this.need(8);
    const v = this.little ? this.b.readDoubleLE(this.pos) : this.b.readDoubleBE(this.pos);
    this.pos += 8;
    return v;
  }
  count(min: number): number {
    const n = this.u32();
    // Each item takes at least `min` bytes: a count larger than what is left is corrupt, not a huge allocation.
    if (n * min > this.b.length - this.pos) throw new GeometryError(`WKB counts ${n} items past its end`);
    return n;
  }
  position(dims: number, hasM: boolean): Position {
    const x = this.f64();
    const y = this.f64();
    const p = dims === 3 ? [x, y, this.f64()] : [x, y];
    if (hasM) this.f64();
    return p;
  }
  positions(dims: number, hasM: boolean): Position[] {
    const n = this.count(16);
    const ps: Position[] = new Array(n);
    for (let i = 0; i < n; i++) ps[i] = this.position(dims, hasM);
    return ps;
  }
  rings(dims: number, hasM: boolean): Position[][] {
    const n = this.count(4);
    const rs: Position[][] = new Array(n);
    for (let i = 0; i < n; i++) rs[i] = this.positions(dims, hasM);
    return rs;
  }
  /** One geometry with its header; `srid` is set from the outermost one. */
  geometry(depth: number, out: { srid?: number }): GeoJsonGeometry {
    if (depth > 32) throw new GeometryError('WKB collections nested too deeply');
    this.need(5);
    const order = this.b[this.pos++];
    if (order !== 0 && order !== 1) throw new GeometryError(`WKB byte order must be 00 or 01, found ${order}`);
    this.little = order === 1;
    const word = this.u32();
    let code = word & 0xffff;
    let hasZ = (word & Z_FLAG) !== 0;
    let hasM = (word & M_FLAG) !== 0;
    // ISO WKB: 1001..1007 Z, 2001..2007 M, 3001..3007 ZM.
    if (code > 1000) {
      const iso = Math.floor(code / 1000);
      hasZ ||= iso === 1 || iso === 3;
      hasM ||= iso === 2 || iso === 3;
      code %= 1000;
    }
    if ((word & SRID_FLAG) !== 0) {
      const srid = this.u32();
      if (depth === 0) out.srid = srid;
    }
    const kind = kindOfCode(code);
    if (kind === undefined) throw new GeometryError(`WKB of an unknown geometry type ${code}`);
    const dims = hasZ ? 3 : 2;
    return this.body(kind, dims, hasM, depth, out);
  }
  body(kind: GeometryKind, dims: number, hasM: boolean, depth: number, out: { srid?: number }): GeoJsonGeometry {
    switch (kind) {
      case 'Point': {
        const p = this.position(dims, hasM);
        return { type: 'Point', coordinates: p.every(Number.isNaN) ? [] : p };
      }
      case 'LineString':
        return { type: 'LineString', coordinates: this.positions(dims, hasM) };
      case 'Polygon':
        return { type: 'Polygon', coordinates: this.rings(dims, hasM) };
      case 'MultiPoint':
        return { type: 'MultiPoint', coordinates: this.coordinatesOf('Point', depth, out) as Position[] };
      case 'MultiLineString':
        return { type: 'MultiLineString', coordinates: this.coordinatesOf('LineString', depth, out) as Position[][] };
      case 'MultiPolygon':
        return { type: 'MultiPolygon', coordinates: this.coordinatesOf('Polygon', depth, out) as Position[][][] };
      case 'GeometryCollection':
        return { type: 'GeometryCollection', geometries: this.parts(depth, out) };
    }
  }
  /** The coordinates of a multi-geometry's parts, each of which must be a `kind`. */
  coordinatesOf(kind: GeometryKind, depth: number, out: { srid?: number }): unknown[] {
    return this.parts(depth, out).map((g) => {
      if (g.type !== kind || !('coordinates' in g)) throw new GeometryError(`a Multi${kind} holds a ${g.type}`);
      return g.coordinates;
    });
  }
  parts(depth: number, out: { srid?: number }): GeoJsonGeometry[] {
    const n = this.count(5);
    const gs: GeoJsonGeometry[] = new Array(n);
    for (let i = 0; i < n; i++) gs[i] = this.geometry(depth + 1, out);
    return gs;
  }
}

/** The GeoJSON geometry and SRID of a hex (E)WKB value. */
export function decodeEwkbHex(hex: string): DecodedGeometry {
  if (hex.length < 10 || hex.length % 2 !== 0 || !/^[0-9a-fA-F]+$/.test(hex))
    throw new GeometryError('not hex WKB: expected an even number of hex digits, at least 10');
  const r = new Reader(Buffer.from(hex, 'hex'));
  const out: { srid?: number } = {};
  const geometry = r.geometry(0, out);
  if (r.pos !== r.b.length) throw new GeometryError(`WKB has ${r.b.length - r.pos} bytes after its geometry`);
  return out.srid === undefined ? { geometry } : { geometry, srid: out.srid };
}

/** The GeoJSON geometry of a hex (E)WKB value. */
export function ewkbHexToGeojson(hex: string): GeoJsonGeometry {
  return decodeEwkbHex(hex).geometry;
}
