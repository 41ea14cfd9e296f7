/** A stable fingerprint of a pipeline definition, kept in each run's memo: same content, same hash. */
import { sha256Of } from '../platform/cache/canonical-json';
import type { PipelineDefinition } from '../model/schema';

/**
 * `sha256:<hex>` of the validated definition (defaults applied), so two files that differ only in layout, key
 * order, comments or spelt-out defaults hash the same.
 */
export function definitionHash(definition: PipelineDefinition): string {
  return `sha256:${sha256Of(definition)}`;
}
