/** Errors of the definition model. They stay local (`*Error`); the workflow reports the same problems as a failure. */
import type { Problem } from './problems';
import { formatProblems } from './problems';

/** Thrown when a definition fails validation before a start; nothing was started. */
export class InvalidDefinitionError extends Error {
  constructor(
    readonly problems: readonly Problem[],
    /** Where the definition came from (a file name), for the message. */
    readonly source?: string,
  ) {
    const count = `${problems.length} problem${problems.length === 1 ? '' : 's'}`;
    super(`${source ? `${source}: ` : ''}invalid pipeline definition (${count}):\n${formatProblems(problems)}`);
    this.name = 'InvalidDefinitionError';
  }
}

/** Thrown when two node types share a name. */
export class DuplicateNodeTypeError extends Error {
  constructor(readonly typeName: string) {
    super(`node type "${typeName}" is registered twice; give your type another name`);
    this.name = 'DuplicateNodeTypeError';
  }
}
