/** Errors of reading settings. */

/**
 * Thrown when a setting has a value the process cannot use. Each problem names its setting; the message has one
 * line per problem, so a worker that cannot start says why in one line.
 */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(problems.map((p) => `invalid configuration: ${p}`).join('\n'));
    this.name = 'ConfigError';
  }
}
