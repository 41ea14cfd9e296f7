/**
 * Secrets from files: `<SETTING>_FILE` names a file (a mounted Kubernetes or Docker secret) that holds the value of
 * `<SETTING>`, so the value need not sit in the environment where `ps e` and crash dumps show it.
 */
import fs from 'node:fs';

/** Settings that may come from a file. `DATABASE_URL_<NAME>` may too (`DATABASE_URL_<NAME>_FILE`). */
export const FILE_SETTINGS = ['TEMPORAL_API_KEY', 'PIPEWRIGHT_CODEC_KEYS', 'DATABASE_URL', 'REDIS_URL'] as const;

/** `DATABASE_URL_<NAME>` names another Postgres connection; a name may not end in `_FILE` (the file variant). */
export const NAMED_CONNECTION = /^DATABASE_URL_([A-Za-z][A-Za-z0-9_]*)$/;

/** `PIPEWRIGHT_NOTIFY_WEBHOOK` (the default webhook of `notify`) and `PIPEWRIGHT_NOTIFY_WEBHOOK_<NAME>`. */
export const NOTIFY_WEBHOOK = /^PIPEWRIGHT_NOTIFY_WEBHOOK(?:_([A-Za-z][A-Za-z0-9_]*))?$/;

/** Whether `name` (without `_FILE`) is a setting that may come from a file. */
export function mayComeFromFile(name: string): boolean {
  return (
    (FILE_SETTINGS as readonly string[]).includes(name) || NAMED_CONNECTION.test(name) || NOTIFY_WEBHOOK.test(name)
  );
}

/**
 * The environment with every `<SETTING>_FILE` replaced by `<SETTING>` (the file's content, surrounding white
 * space trimmed), and one problem per file that cannot be read or per setting given both ways.
 */
export function resolveSecretFiles(env: NodeJS.ProcessEnv): { env: NodeJS.ProcessEnv; problems: string[] } {
  const resolved: NodeJS.ProcessEnv = { ...env };
  const problems: string[] = [];
  for (const [key, path] of Object.entries(env)) {
    if (!key.endsWith('_FILE')) continue;
    const setting = key.slice(0, -'_FILE'.length);
    if (!mayComeFromFile(setting)) continue;
    delete resolved[key];
    if (!path) continue;
    if (env[setting]) {
      problems.push(`${key}: set ${setting} or ${key}, not both`);
      continue;
    }
    try {
      resolved[setting] = fs.readFileSync(path, 'utf8').trim();
    } catch (err) {
      problems.push(`${key}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    }
  }
  return { env: resolved, problems };
}
