/** `source.geojson`: rows from the features of a GeoJSON file, streamed; property columns declared or inferred. */
import fs from 'node:fs/promises';
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/files/input-file';
import { layoutOf, type GeojsonLayout } from '../../data/formats/geojson-features';
import { sampleGeojson, type GeojsonSample } from '../../data/formats/geojson-infer';
import { readGeojsonFile } from '../../data/formats/geojson-source';
import { JsonFormatError } from '../../data/formats/json-array-scanner';
import { SourceChecks } from '../../data/rows/source-checks';
import type { ColumnSpec } from '../../model/columns/columns';
import { sourceGeojsonDescription, type SourceGeojsonParams } from '../../model/nodes/source-geojson';
import { defineStreamNode } from './define';

export const sourceGeojson = defineStreamNode(sourceGeojsonDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const file = await checkReadableFile(ctx.nodeId, p.path);
    const layout = p.layout ?? layoutOf(p.path, await firstText(file));
    const fail = (err: unknown): never => {
      if (err instanceof JsonFormatError)
        throw new InputFileError(
          ctx.nodeId,
          p.path,
          `is not a GeoJSON ${layout === 'collection' ? 'FeatureCollection' : 'text sequence'}: ${err.message}; ` +
            `fix or export the file again${layout === 'collection' ? ' (or set layout: sequence for one feature per line)' : ''}`,
        );
      throw err;
    };
    const needsSample =
      p.columns === undefined ||
      p.geometry.kind === undefined ||
      p.geometry.z === undefined ||
      p.idColumn !== undefined;
    const sample = needsSample ? await sampleGeojson(file, layout, p.inferFeatures).catch(fail) : undefined;
    const { columns, properties, geometry } = outputColumns(ctx.nodeId, p, layout, sample);
    const it = readGeojsonFile(file, {
      layout,
      id: p.idColumn !== undefined,
      properties,
      geometry: { srid: geometry.srid ?? 4326, kind: geometry.kind, z: geometry.z ?? false },
    });
    // The rows' geometry is hex EWKB already: the source's check of it only confirms the header.
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    return {
      columns,
      chunks: checks.checked(it, fail),
      stats: () => checks.stats(),
      value: () => ({ layout }),
      close: async () => void (await it.return(undefined)),
    };
  },
});

/** The first characters of the file, to tell a sequence (RS first) from a FeatureCollection. */
async function firstText(path: string): Promise<string> {
  const h = await fs.open(path);
  try {
    const { buffer, bytesRead } = await h.read(Buffer.alloc(64), 0, 64, 0);
    return buffer.toString('utf8', 0, bytesRead);
  } finally {
    await h.close();
  }
}

function outputColumns(
  nodeId: string,
  p: SourceGeojsonParams,
  layout: GeojsonLayout,
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
          `${layout === 'collection' ? 'FeatureCollection' : 'sequence'}; name the geometry column (geometry.column) or idColumn otherwise`,
      );
    seen.add(c.name.toLowerCase());
  }
  return { columns, properties, geometry };
}
