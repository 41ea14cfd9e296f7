/**
 * Features of one object of a TopoJSON topology, converted with `topojson-client`. A topology's geometries share
 * arcs, so no feature can be built before the whole `arcs` array has been read: the file is parsed whole (up to
 * {@link MAX_TOPOJSON_BYTES}), and features are then converted one at a time as rows are pulled, so only the
 * topology and one chunk of rows are held at once.
 */
import fs from 'node:fs/promises';
import { feature as toFeature } from 'topojson-client';
import type { GeometryObject as AnyGeometryObject, Topology } from 'topojson-specification';

type GeometryObject = AnyGeometryObject<Record<string, unknown> | null>;
import type { RowChunk } from '../rows/batch';
import { ChunkBuilder } from '../rows/chunk-builder';
import { FeatureTally, type GeojsonSample } from './geojson-infer';
import { FeatureRows, type FeatureRead, type FeatureRowLayout } from './geojson-feature-rows';

/** The largest TopoJSON file read: it is held in memory whole, as parsed objects (several times its size). */
export const MAX_TOPOJSON_BYTES = 256 * 1024 * 1024;
const CHUNK_ROWS = 5000;

/** Thrown when a file is not a TopoJSON topology, or has no such object; the message says what to do. */
export class TopojsonError extends Error {
  override readonly name = 'TopojsonError';
}

/** Reads and checks the topology at `path`. */
export async function readTopology(path: string): Promise<Topology> {
  const { size } = await fs.stat(path);
  if (size > MAX_TOPOJSON_BYTES)
    throw new TopojsonError(
      `is ${size} bytes; a TopoJSON file is read whole and may be at most ${MAX_TOPOJSON_BYTES} bytes. ` +
        'Convert it to GeoJSON (for example with topo2geo or ogr2ogr) and read it with source.geojson, which streams',
    );
  let t: unknown;
  try {
    t = JSON.parse(await fs.readFile(path, 'utf8'));
  } catch (err) {
    throw new TopojsonError(`is not JSON (${(err as Error).message}); a TopoJSON file is one JSON Topology object`);
  }
  const o = t as { type?: unknown; objects?: unknown; arcs?: unknown };
  if (typeof t !== 'object' || t === null || o.type !== 'Topology')
    throw new TopojsonError(
      `is not TopoJSON: its "type" must be "Topology" (found ${JSON.stringify(o?.type ?? typeof t)?.slice(0, 40)}); ` +
        'for a GeoJSON file use source.geojson',
    );
  if (typeof o.objects !== 'object' || o.objects === null || Array.isArray(o.objects) || !Array.isArray(o.arcs))
    throw new TopojsonError('is not TopoJSON: a Topology needs an "objects" object and an "arcs" array');
  return t as Topology;
}

/** The object `name` of the topology; without a name, its only object. */
export function topologyObject(topology: Topology, name: string | undefined): { name: string; object: GeometryObject } {
  const names = Object.keys(topology.objects);
  const chosen = name ?? (names.length === 1 ? names[0] : undefined);
  const object = chosen !== undefined && Object.hasOwn(topology.objects, chosen) ? topology.objects[chosen] : undefined;
  if (chosen === undefined || object === undefined)
    throw new TopojsonError(
      `${name === undefined ? 'holds several objects' : `has no object ${JSON.stringify(name)}`}; ` +
        `set object to one of: ${names.map((n) => JSON.stringify(n)).join(', ') || '(none: the topology is empty)'}`,
    );
  return { name: chosen, object };
}

/** The geometries that become features: a collection's members, or the object itself. */
const members = (object: GeometryObject): readonly GeometryObject[] =>
  object.type === 'GeometryCollection' ? object.geometries : [object];

/** The GeoJSON feature of one TopoJSON geometry (a nested collection becomes one GeometryCollection feature). */
function featureOf(topology: Topology, g: GeometryObject): unknown {
  if (g.type !== 'GeometryCollection') return toFeature(topology, g);
  const fc = toFeature(topology, g);
  return {
    type: 'Feature',
    ...(g.id !== undefined ? { id: g.id } : {}),
    properties: g.properties ?? {},
    geometry: { type: 'GeometryCollection', geometries: fc.features.map((f) => f.geometry) },
  };
}

/** What the first `sample` features of the object say about its columns. */
export function sampleTopology(topology: Topology, object: GeometryObject, sample: number): GeojsonSample {
  const tally = new FeatureTally();
  for (const g of members(object).slice(0, sample)) {
    try {
      tally.add(featureOf(topology, g));
    } catch {
      // A geometry that cannot be converted is a reject when the rows are read.
    }
  }
  return tally.sample();
}

/** The first arc index in a geometry's `arcs` that names no arc (`~i` is arc `i` reversed), or undefined. */
function badArc(g: GeometryObject, arcs: number): number | undefined {
  const walk = (a: unknown, depth: number): number | undefined => {
    if (typeof a === 'number') return Number.isInteger(a) && (a < 0 ? ~a : a) < arcs ? undefined : a;
    if (!Array.isArray(a) || depth > 4) return undefined;
    for (const x of a) {
      const b = walk(x, depth + 1);
      if (b !== undefined) return b;
    }
    return undefined;
  };
  if (g.type === 'GeometryCollection') {
    for (const m of g.geometries) {
      const b = badArc(m, arcs);
      if (b !== undefined) return b;
    }
    return undefined;
  }
  return 'arcs' in g ? walk(g.arcs, 0) : undefined;
}

function rowOf(rows: FeatureRows, topology: Topology, g: GeometryObject, index: number): FeatureRead {
  const id = g.id === undefined ? '' : ` (id ${JSON.stringify(g.id)})`;
  const bad = badArc(g, topology.arcs.length);
  if (bad !== undefined)
    return {
      reason: `feature ${index}${id}: arc index ${bad} is not in the topology (it has ${topology.arcs.length} arcs)`,
      syntax: false,
    };
  let f: unknown;
  try {
    f = featureOf(topology, g);
  } catch (err) {
    return { reason: `feature ${index}${id}: not a valid TopoJSON geometry: ${(err as Error).message}`, syntax: false };
  }
  return rows.feature(f, index);
}

/** The object's features as row chunks, converted as they are pulled; a feature that does not fit is a reject. */
export function* topologyChunks(
  topology: Topology,
  object: GeometryObject,
  layout: FeatureRowLayout,
  chunkRows = CHUNK_ROWS,
): Generator<RowChunk> {
  const rows = new FeatureRows(layout);
  const chunks = new ChunkBuilder(chunkRows);
  const gs = members(object);
  for (let i = 0; i < gs.length; i++) {
    const g = gs[i] as GeometryObject;
    // Property values may hold tabs, newlines or NUL: every chunk gets COPY's escaping and the NUL check.
    chunks.markUnclean();
    // A reject keeps the TopoJSON geometry as the file has it (arc indexes, not coordinates).
    const r = rowOf(rows, topology, g, i);
    if (r.reason !== undefined) chunks.reject(i + 1, JSON.stringify(g), r.reason);
    else chunks.row(r.row, i + 1);
    yield* chunks.take();
  }
  chunks.flush();
  yield* chunks.take();
}
