/**
 * Reprojection between the EPSG codes of `src/model/geo/epsg.ts` with proj4: each code's definition is built from the
 * code (UTM zones from their number), so no table of definitions is kept. A position outside the source's range or
 * the target's domain is a GeometryError (a reject), not a NaN in the output.
 */
import proj4 from 'proj4';
import { epsgSystem, type EpsgSystem } from '../../model/geo/epsg';
import { GeometryError } from './errors';

type Position = number[];

function definition(code: number, system: EpsgSystem): string {
  switch (system.kind) {
    case 'lonlat':
      return '+proj=longlat +datum=WGS84 +no_defs';
    case 'webmercator':
      return (
        '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +wktext' +
        ' +no_defs'
      );
    case 'utm':
      return `+proj=utm +zone=${system.zone}${system.south ? ' +south' : ''} +datum=WGS84 +units=m +no_defs`;
    default:
      throw new Error(`EPSG:${code}: no definition`);
  }
}

/** Checks what the source accepts, before projecting (proj4 would return garbage rather than fail). */
function sourceCheck(code: number, system: EpsgSystem): (p: Position) => void {
  if (system.kind !== 'lonlat') return () => undefined;
  return (p) => {
    const [x = NaN, y = NaN] = p;
    if (!(x >= -180 && x <= 180 && y >= -90 && y <= 90))
      throw new GeometryError(`[${x}, ${y}] is out of range for EPSG:${code} (longitude -180..180, latitude -90..90)`);
  };
}

/** Checks a longitude/latitude against the target's domain: a UTM zone covers its central meridian's hemisphere. */
function targetCheck(code: number, system: EpsgSystem, from: EpsgSystem): (p: Position) => void {
  if (system.kind !== 'utm' || from.kind !== 'lonlat') return () => undefined;
  const central = -183 + 6 * system.zone;
  return (p) => {
    const d = Math.abs((((((p[0] as number) - central + 540) % 360) + 360) % 360) - 180);
    if (d >= 90)
      throw new GeometryError(
        `longitude ${p[0]} is ${d.toFixed(1)}° from EPSG:${code}'s central meridian (at most 90°)`,
      );
  };
}

/** The function reprojecting one position from `from` to `to` (Z kept as it is). Both codes must be supported. */
export function projector(from: number, to: number): (p: Position) => Position {
  const src = epsgSystem(from);
  const dst = epsgSystem(to);
  if (!src || !dst) throw new Error(`reprojection EPSG:${from} to EPSG:${to}: unsupported code`);
  if (from === to) return (p) => p;
  const converter = proj4(definition(from, src), definition(to, dst));
  const checkSource = sourceCheck(from, src);
  const checkTarget = targetCheck(to, dst, src);
  return (p) => {
    checkSource(p);
    checkTarget(p);
    const xy = converter.forward([p[0] as number, p[1] as number]);
    const x = xy[0] as number;
    const y = xy[1] as number;
    if (!Number.isFinite(x) || !Number.isFinite(y))
      throw new GeometryError(`[${p[0]}, ${p[1]}] is outside the domain of EPSG:${to}`);
    return p.length > 2 ? [x, y, ...p.slice(2)] : [x, y];
  };
}
