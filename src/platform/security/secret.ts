/** A secret value (API key, token) that does not print: logs, JSON and `util.inspect` show `***`. */
import { inspect } from 'node:util';

/** Holds a secret string; call {@link reveal} only where the value is handed to the library that needs it. */
export class Secret {
  readonly #value: string;

  constructor(value: string) {
    this.#value = value;
  }

  reveal(): string {
    return this.#value;
  }

  toString(): string {
    return '***';
  }

  toJSON(): string {
    return '***';
  }

  [inspect.custom](): string {
    return 'Secret(***)';
  }
}
