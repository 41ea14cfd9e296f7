/**
 * The columns of a source of GeoJSON features (`source.geojson`, `source.topojson`): the feature id (first, when
 * asked for), the property columns (declared or sampled), the geometry column (last), its kind and Z declared or
 * sampled.
 */
import { InputFileError } from '../../data/errors';
import type { FeatureRowLayout } from '../../data/formats/geojson-feature-rows';
import type { GeojsonSample } from '../../data/formats/geojson-infer';
import type { ColumnSpec } from '../../model/columns/columns';
import type { SourceGeojsonParams } from '../../model/nodes/source-geojson';

/** The params both feature sources share. */
export type FeatureColumnParams = Pick<SourceGeojsonParams, 'path' | 'columns' | 'geometry' | 'idColumn'>;

/** The output columns, the property columns read from `properties`, and the geometry column. */
export function featureColumns(
  nodeId: string,
  p: FeatureColumnParams,
  what: string,
  sample: GeojsonSample | undefined,
) {
  const properties = p.columns ?? sample?.properties ?? [];
  const kind = p.geometry.kind === 'any' ? undefined : (p.geometry.kind ?? sample?.kind);
  const geometry: ColumnSpec = {
    name: p.geometry.column,
    type: 'geometry',
    emptyIsNull: false,
    nullable: true,
    srid: p.geometry.srid,
    ...(kind ? { kind } : {}),
    z: p.geometry.z ?? sample?.z ?? false,
  };
  const plain = ({ name, type, emptyIsNull, nullable }: ColumnSpec): ColumnSpec => ({
    name,
    type,
    emptyIsNull,
    nullable,
  });
  const id: ColumnSpec[] =
    p.idColumn !== undefined
      ? [{ name: p.idColumn, type: sample?.idType ?? 'text', emptyIsNull: false, nullable: true }]
      : [];
  const columns = [...id, ...properties.map(plain), geometry];
  const seen = new Set<string>();
  for (const c of columns) {
    if (seen.has(c.name.toLowerCase()))
      throw new InputFileError(
        nodeId,
        p.path,
        `column ${c.name} is both a property and the ${c.name === geometry.name ? 'geometry' : 'id'} column of this ` +
          `${what}; name the geometry column (geometry.column) or idColumn otherwise`,
      );
    seen.add(c.name.toLowerCase());
  }
  return { columns, properties, geometry };
}

/** Whether the first features must be read: for undeclared columns, geometry kind or Z, or the id column's type. */
export const needsSample = (p: FeatureColumnParams): boolean =>
  p.columns === undefined || p.geometry.kind === undefined || p.geometry.z === undefined || p.idColumn !== undefined;

/** How a feature becomes a row, for the columns {@link featureColumns} chose. */
export function featureRowLayout(
  p: FeatureColumnParams,
  chosen: Pick<ReturnType<typeof featureColumns>, 'properties' | 'geometry'>,
): FeatureRowLayout {
  const g = chosen.geometry;
  return {
    id: p.idColumn !== undefined,
    properties: chosen.properties,
    geometry: { srid: g.srid ?? 4326, kind: g.kind, z: g.z ?? false },
  };
}
