/**
 * The `findDatasets` activity: which of a run's datasets are still there, each table looked up in the database of
 * its node's connection. A rerun asks before it reuses outputs of the run it repeats.
 */
import { UnknownConnectionError } from '../src/data/errors';
import type { DataServices } from '../src/data/services';
import { datasetPresent } from '../src/data/tables/dataset-present';
import type { FindDatasetsInput, FindDatasetsResult } from '../src/engine/contract';

export function createFindDatasets(data: DataServices): (input: FindDatasetsInput) => Promise<FindDatasetsResult> {
  return async function findDatasets(input) {
    const present: string[] = [];
    for (const { nodeId, dataset, connection } of input.datasets) {
      const ready = async () => {
        const pool = data.pool(connection);
        await data.ready(pool);
        return pool;
      };
      try {
        if (await datasetPresent(ready, dataset)) present.push(nodeId);
      } catch (err) {
        // A connection this worker does not have: the node runs again (and says so itself, if it needs it).
        if (!(err instanceof UnknownConnectionError)) throw err;
      }
    }
    return { present };
  };
}
