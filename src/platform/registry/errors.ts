/** Errors of the definitions registry. They stay local; the `loadDefinition` activity turns them into failures. */
import { FailureType } from '../../engine/failure-types';

/** Thrown when no published definition matches a reference. */
export class DefinitionNotFoundError extends Error {
  readonly nonRetryable = true;
  constructor(
    readonly ref: string,
    /** The versions published under the name, newest first. */
    readonly published: readonly string[],
  ) {
    super(
      `no published definition ${ref}` +
        (published.length > 0
          ? ` (published versions: ${published.join(', ')})`
          : '; publish it with `pipewright publish <file>`'),
    );
    this.name = FailureType.DefinitionNotFound;
  }
}

/** Thrown when a version is published again with other content: published versions never change. */
export class DefinitionConflictError extends Error {
  constructor(readonly ref: string) {
    super(`${ref} is already published with different content; published versions never change: give it a new version`);
    this.name = 'DefinitionConflictError';
  }
}
