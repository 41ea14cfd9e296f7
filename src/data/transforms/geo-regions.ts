/** The regions of a `transform.geo`'s `within` operations, by operation index, loaded once when the stage is built. */
import { InputDatasetError, InputFileError } from '../errors';
import { checkReadableFile } from '../files/input-file';
import { bboxRegion, fileRegion, regionOf, RegionError, type Region } from '../geo/within-region';
import type { GeoOperation } from '../../model/geo/operations';

export async function loadRegions(nodeId: string, operations: readonly GeoOperation[]): Promise<Map<number, Region>> {
  const regions = new Map<number, Region>();
  for (const [i, op] of operations.entries()) {
    if (op.op !== 'within') continue;
    const where = `operations[${i}] within`;
    try {
      if (op.bbox) regions.set(i, bboxRegion(op.bbox));
      else if (op.polygon) regions.set(i, regionOf(op.polygon, `${where} polygon`));
      else if (op.file) regions.set(i, await fileRegion(await checkReadableFile(nodeId, op.file)));
    } catch (err) {
      if (!(err instanceof RegionError)) throw err;
      if (op.file) throw new InputFileError(nodeId, op.file, `${where}: ${err.message}`);
      throw new InputDatasetError(nodeId, err.message);
    }
  }
  return regions;
}
