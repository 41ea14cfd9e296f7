/**
 * Generated GeoJSON FeatureCollections for the geo benchmarks: points, or small polygons (every tenth with a hole),
 * each feature with five properties (name, n, v, cat, ok), written in 1 MB pieces.
 */
import fs from 'node:fs';

type Shape = 'points' | 'polygons';

const lon = (i: number): number => ((i * 7919) % 359_000) / 1000 - 179.5;
const lat = (i: number): number => ((i * 104_729) % 170_000) / 1000 - 85;

function geometry(shape: Shape, i: number): object {
  const [x, y] = [lon(i), lat(i)];
  if (shape === 'points') return { type: 'Point', coordinates: [x, y] };
  const d = 0.01 + (i % 7) * 0.002;
  const ring = (x0: number, y0: number, s: number) => [
    [x0, y0],
    [x0 + s, y0],
    [x0 + s, y0 + s],
    [x0, y0 + s],
    [x0, y0],
  ];
  const rings = [ring(x, y, d)];
  if (i % 10 === 0) rings.push(ring(x + d / 4, y + d / 4, d / 2));
  return { type: 'Polygon', coordinates: rings };
}

/** Writes `count` features of `shape` to `file` as one FeatureCollection; returns its size in bytes. */
export function writeFeatureCollection(file: string, shape: Shape, count: number): number {
  const out = fs.openSync(file, 'w');
  fs.writeSync(out, '{"type":"FeatureCollection","features":[\n');
  let buf = '';
  for (let i = 0; i < count; i++) {
    const f = {
      type: 'Feature',
      properties: { name: `feature ${i}`, n: i, v: (i % 1000) / 7, cat: `c${i % 13}`, ok: i % 2 === 0 },
      geometry: geometry(shape, i),
    };
    buf += (i > 0 ? ',\n' : '') + JSON.stringify(f);
    if (buf.length > 1 << 20) {
      fs.writeSync(out, buf);
      buf = '';
    }
  }
  fs.writeSync(out, `${buf}\n]}\n`);
  fs.closeSync(out);
  return fs.statSync(file).size;
}
