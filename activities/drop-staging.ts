/** The `dropStaging` activity: drops a run's staging tables in every database the worker knows. */
import { Context } from '@temporalio/activity';
import type { DataServices } from '../src/data/services';
import { dropRunStaging } from '../src/data/tables/staging';
import type { DropStagingInput, DropStagingResult } from '../src/engine/contract';

export function createDropStaging(
  data: DataServices,
  connectionNames: readonly string[],
): (input: DropStagingInput) => Promise<DropStagingResult> {
  return async function dropStaging(input) {
    let dropped = 0;
    for (const name of [undefined, ...connectionNames]) {
      const pool = data.pool(name);
      try {
        await data.ready(pool);
        dropped += await dropRunStaging(pool, data.projectSchema, input);
      } catch (err) {
        // The default database must answer (a retry will come); a named one may hold no staging at all.
        if (name === undefined) throw err;
        Context.current().log.warn(`could not drop staging on connection ${name}: ${(err as Error).message}`);
      }
    }
    return { dropped };
  };
}
