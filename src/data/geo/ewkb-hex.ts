/**
 * Checks a value that is already hex (E)WKB, as a geometry column's values read back from Postgres are: its header
 * names a kind the column holds and the column's SRID, or no SRID (which is then added, as PostGIS refuses an SRID
 * 0 geometry in a column with one).
 */
import { GeometryError } from './errors';
import { kindOfCode, type GeometryKind } from './kinds';

const HEX = /^[0-9a-fA-F]+$/;
const SRID_FLAG = 0x20000000;
const Z_FLAG = 0x80000000;

const hexU32 = (n: number, little: boolean): string => {
  const b = [n & 0xff, (n >>> 8) & 0xff, (n >>> 16) & 0xff, (n >>> 24) & 0xff];
  return (little ? b : b.reverse()).map((x) => x.toString(16).padStart(2, '0')).join('');
};

/** The byte order, type word (with its flags) and, with the SRID flag, the SRID of a hex (E)WKB header. */
function headerOf(v: string): { little: boolean; type: number; srid?: number } {
  const little = v.startsWith('01');
  const word = v.slice(2, 10);
  const type = parseInt(little ? (word.match(/../g) ?? []).reverse().join('') : word, 16) >>> 0;
  if ((type & SRID_FLAG) === 0 || v.length < 18) return { little, type };
  const sridHex = v.slice(10, 18);
  return { little, type, srid: parseInt(little ? (sridHex.match(/../g) ?? []).reverse().join('') : sridHex, 16) };
}

/** The value with the column's SRID in its header; throws a GeometryError when it cannot go into the column. */
export function checkEwkbHex(v: string, options: { srid: number; kind?: GeometryKind; z?: boolean }): string {
  if (v.length < 10 || v.length % 2 !== 0 || !HEX.test(v))
    throw new GeometryError('not a GeoJSON geometry (an object) nor hex WKB');
  if (!v.startsWith('01') && !v.startsWith('00'))
    throw new GeometryError('hex WKB must start with a byte order of 00 or 01');
  const { little, type, srid } = headerOf(v);
  const kind = kindOfCode(type & 0xffff);
  if (kind === undefined) throw new GeometryError(`hex WKB of an unknown geometry type ${type & 0xffff}`);
  if (options.kind !== undefined && kind !== options.kind)
    throw new GeometryError(`a ${kind} in a column of ${options.kind}`);
  const hasZ = (type & Z_FLAG) !== 0;
  if (options.z !== undefined && hasZ !== options.z)
    throw new GeometryError(hasZ ? 'has Z but the column is 2D' : 'has no Z but the column has Z');
  if ((type & SRID_FLAG) === 0)
    return v.slice(0, 2) + hexU32((type | SRID_FLAG) >>> 0, little) + hexU32(options.srid, little) + v.slice(10);
  if (srid === undefined) throw new GeometryError('hex EWKB ends inside its SRID');
  if (srid !== options.srid) throw new GeometryError(`has SRID ${srid} but the column's is ${options.srid}`);
  return v;
}

/** The kind, Z and SRID (undefined without the SRID flag) a hex (E)WKB value's header names, or undefined. */
export function ewkbHeaderOf(v: string): { kind: GeometryKind; z: boolean; srid?: number } | undefined {
  if (v.length < 10 || !HEX.test(v.slice(0, 18))) return undefined;
  const { type, srid } = headerOf(v);
  const kind = kindOfCode(type & 0xffff);
  if (kind === undefined) return undefined;
  return { kind, z: (type & Z_FLAG) !== 0, ...(srid !== undefined ? { srid } : {}) };
}
