/**
 * What the first features of a GeoJSON file say about its columns (`source.geojson` without `columns`): the
 * property columns as `source.json` infers a record's (names normalized, types from the values), the geometry kind
 * when every sampled geometry has the same one, Z when the first geometry's positions have three numbers, and the
 * type of the feature ids (`int`/`bigint` when all are integers, else `text`).
 */
import type { ColumnType, GeometryColumnKind } from '../../model/columns/columns';
import { scanFilePrefix } from './chunk-reader';
import { createFeatureSplitter, type GeojsonLayout } from './geojson-features';
import { inferredColumns, tallyRecord, type InferredColumn, type Tallies } from './json-infer';

export interface GeojsonSample {
  readonly properties: InferredColumn[];
  /** The one kind of every sampled geometry, or undefined when they differ (or there were none). */
  readonly kind?: GeometryColumnKind;
  readonly z: boolean;
  readonly idType: ColumnType;
}

const MAX_FEATURE_CHARS = 64 * 1024 * 1024;

/** Reads the first `sample` features of the file at `path`. */
export async function sampleGeojson(path: string, layout: GeojsonLayout, sample: number): Promise<GeojsonSample> {
  const tally = new FeatureTally();
  const splitter = createFeatureSplitter(
    layout,
    (text) => {
      if (tally.seen >= sample) return undefined;
      let f: unknown;
      try {
        f = JSON.parse(text);
      } catch (err) {
        // A sequence's bad line is a reject when the rows are read; a collection's fails the read there too.
        return layout === 'collection' ? (err as Error).message : undefined;
      }
      tally.add(f);
      return undefined;
    },
    MAX_FEATURE_CHARS,
  );
  await scanFilePrefix(path, splitter, () => tally.seen >= sample);
  return tally.sample();
}

/** Tallies parsed features (properties, geometry kinds and Z, ids) into a {@link GeojsonSample}. */
export class FeatureTally {
  seen = 0;
  private readonly tallies: Tallies = new Map();
  private readonly kinds = new Set<string>();
  private z: boolean | undefined;
  private ids = 0;
  private intIds = true;
  private wide = false;

  add(f: unknown): void {
    this.seen++;
    if (typeof f !== 'object' || f === null) return;
    const { id, properties, geometry } = f as { id?: unknown; properties?: unknown; geometry?: unknown };
    if (typeof properties === 'object' && properties !== null && !Array.isArray(properties))
      tallyRecord(this.tallies, properties);
    if (typeof geometry === 'object' && geometry !== null) {
      const type = (geometry as { type?: unknown }).type;
      if (typeof type === 'string') this.kinds.add(type);
      this.z ??= hasZ(geometry);
    }
    if (id !== undefined && id !== null) {
      this.ids++;
      if (typeof id !== 'number' || !Number.isInteger(id)) this.intIds = false;
      else if (Math.abs(id) >= 2 ** 31) this.wide = true;
    }
  }

  sample(): GeojsonSample {
    const [only] = this.kinds;
    return {
      properties: inferredColumns(this.tallies),
      ...(this.kinds.size === 1 && only !== undefined && only !== 'GeometryCollection'
        ? { kind: only as GeometryColumnKind }
        : {}),
      z: this.z ?? false,
      idType: this.ids > 0 && this.intIds ? (this.wide ? 'bigint' : 'int') : 'text',
    };
  }
}

/** Whether the first position of a geometry has a Z. */
function hasZ(g: object): boolean | undefined {
  let c: unknown = (g as { coordinates?: unknown }).coordinates;
  if (c === undefined) {
    const gs = (g as { geometries?: unknown }).geometries;
    return Array.isArray(gs) && typeof gs[0] === 'object' && gs[0] !== null ? hasZ(gs[0] as object) : undefined;
  }
  for (let d = 0; d < 5 && Array.isArray(c); d++) {
    if (c.length === 0) return undefined;
    if (typeof c[0] === 'number') return c.length >= 3;
    c = c[0];
  }
  return undefined;
}
