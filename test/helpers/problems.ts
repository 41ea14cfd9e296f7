/** The problems a refused setting or file lists, for tests that check each line. */
import { ConfigError, loadConfig } from '../../src/platform/config/config';

/** The problems of the error of class `type` that `fn` throws; fails when it throws nothing. */
export function problemsThrown(
  type: abstract new (...args: never[]) => Error & { readonly problems: readonly string[] },
  fn: () => unknown,
): readonly string[] {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(type);
    return (err as InstanceType<typeof type>).problems;
  }
  throw new Error('accepted');
}

/** The problems of the ConfigError that `env` gives, each checked to be one line that starts with its setting. */
export function configProblems(env: NodeJS.ProcessEnv, setting = /[A-Z][A-Z0-9_]+/): readonly string[] {
  const problems = problemsThrown(ConfigError, () => loadConfig(env));
  for (const p of problems) expect(p).toMatch(new RegExp(`^${setting.source}: [^\\n]+$`));
  return problems;
}
