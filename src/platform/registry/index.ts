/** The definitions registry: publish pipeline definitions by `name@version`, load them by reference (cached). */
export { createDefinitionRegistry, DEFINITIONS_NAMESPACE } from './registry';
export type { DefinitionRegistry, DefinitionRegistryOptions, PublishedDefinition, PublishResult } from './registry';
export { DefinitionConflictError, DefinitionNotFoundError } from './errors';
export {
  formatRef,
  InvalidReferenceError,
  LATEST,
  looksLikeRef,
  parseRef,
  tryParseRef,
} from '../../model/definition-ref';
export type { DefinitionRef } from '../../model/definition-ref';
export type { DbDefinitionSummary } from './sql/list-definitions';
