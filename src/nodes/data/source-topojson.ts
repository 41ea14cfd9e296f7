/** `source.topojson`: rows from the features of one TopoJSON object; property columns declared or inferred. */
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/files/input-file';
import {
  readTopology,
  sampleTopology,
  topologyChunks,
  topologyObject,
  TopojsonError,
} from '../../data/formats/topojson-source';
import { SourceChecks } from '../../data/rows/source-checks';
import { sourceTopojsonDescription } from '../../model/nodes/source-topojson';
import { defineStreamNode } from './define';
import { featureColumns } from './feature-columns';

export const sourceTopojson = defineStreamNode(sourceTopojsonDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const file = await checkReadableFile(ctx.nodeId, p.path);
    const { topology, name, object } = await readTopology(file)
      .then((topology) => ({ topology, ...topologyObject(topology, p.object) }))
      .catch((err: unknown) => {
        if (err instanceof TopojsonError) throw new InputFileError(ctx.nodeId, p.path, err.message);
        throw err;
      });
    const needsSample =
      p.columns === undefined ||
      p.geometry.kind === undefined ||
      p.geometry.z === undefined ||
      p.idColumn !== undefined;
    const sample = needsSample ? sampleTopology(topology, object, p.inferFeatures) : undefined;
    const { columns, properties, geometry } = featureColumns(ctx.nodeId, p, `TopoJSON object ${name}`, sample);
    const it = topologyChunks(topology, object, {
      id: p.idColumn !== undefined,
      properties,
      geometry: { srid: geometry.srid ?? 4326, kind: geometry.kind, z: geometry.z ?? false },
    });
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    return {
      columns,
      chunks: checks.checked(toAsync(it), (err) => {
        throw err;
      }),
      stats: () => checks.stats(),
      value: () => ({ object: name }),
      close: async () => void it.return(undefined),
    };
  },
});

async function* toAsync<T>(it: Iterable<T>): AsyncGenerator<T> {
  yield* it;
}
