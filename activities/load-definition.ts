/**
 * The `loadDefinition` activity: the definition a `name@version` reference names, from the registry (through the
 * worker's cache). A reference that names nothing fails non-retryably (`DefinitionNotFound`); Postgres away is a
 * retryable failure like any other.
 */
import { FailureType } from '../src/engine/failure-types';
import { ApplicationFailure } from '@temporalio/common';
import { DefinitionNotFoundError, InvalidReferenceError, type DefinitionRegistry } from '../src/platform/registry';
import type { LoadDefinitionInput, LoadDefinitionResult } from '../src/engine/contract';

export function createLoadDefinition(
  registry: DefinitionRegistry,
): (input: LoadDefinitionInput) => Promise<LoadDefinitionResult> {
  return async function loadDefinition(input) {
    try {
      const found = await registry.load(input.ref);
      return { definition: found.definition, ref: `${found.name}@${found.version}` };
    } catch (err) {
      if (err instanceof DefinitionNotFoundError || err instanceof InvalidReferenceError)
        throw ApplicationFailure.create({
          type: FailureType.DefinitionNotFound,
          message: err.message,
          nonRetryable: true,
        });
      throw err;
    }
  };
}
