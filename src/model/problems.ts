/** Validation problems: each names where (a dotted path) and what is wrong. Pure. */

export interface Problem {
  /** Where in the definition, e.g. `nodes[2].needs[0]` or `defaults.parallelism`. */
  readonly path: string;
  readonly message: string;
}

/** Renders a zod-style path (`['nodes', 2, 'id']`) as `nodes[2].id`. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) out += typeof part === 'number' ? `[${part}]` : out ? `.${part}` : part;
  return out || '(root)';
}

/** One line per problem, for CLIs and failure messages. */
export function formatProblems(problems: readonly Problem[]): string {
  return problems.map((p) => `  - ${p.path}: ${p.message}`).join('\n');
}
