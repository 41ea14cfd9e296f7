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
import { featureColumns, featureRowLayout, needsSample } from './feature-columns';

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
    const sample = needsSample(p) ? sampleTopology(topology, object, p.inferFeatures) : undefined;
    const { columns, properties, geometry } = featureColumns(ctx.nodeId, p, `TopoJSON object ${name}`, sample);
    const it = topologyChunks(topology, object, featureRowLayout(p, { properties, geometry }));
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
