/** `source.geojson`: rows from the features of a GeoJSON file, streamed; property columns declared or inferred. */
import fs from 'node:fs/promises';
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/files/input-file';
import { layoutOf } from '../../data/formats/geojson-features';
import { sampleGeojson } from '../../data/formats/geojson-infer';
import { readGeojsonFile } from '../../data/formats/geojson-source';
import { JsonFormatError } from '../../data/formats/json-array-scanner';
import { SourceChecks } from '../../data/rows/source-checks';
import { sourceGeojsonDescription } from '../../model/nodes/source-geojson';
import { defineStreamNode } from './define';
import { featureColumns, featureRowLayout, needsSample } from './feature-columns';

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
    const sample = needsSample(p) ? await sampleGeojson(file, layout, p.inferFeatures).catch(fail) : undefined;
    const { columns, properties, geometry } = featureColumns(
      ctx.nodeId,
      p,
      layout === 'collection' ? 'FeatureCollection' : 'sequence',
      sample,
    );
    const it = readGeojsonFile(file, { layout, ...featureRowLayout(p, { properties, geometry }) });
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
