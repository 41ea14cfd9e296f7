/**
 * Circuit breaker settings from the environment: defaults for every breaker (`PIPEWRIGHT_BREAKER_*`) and
 * overrides per resource (`PIPEWRIGHT_BREAKER_OVERRIDES`, a JSON object). Called by `loadConfig` only.
 *
 * Override keys name a resource the way an operator knows it: `database` (DATABASE_URL), `database:<name>`
 * (DATABASE_URL_<NAME>), `redis` (REDIS_URL), an HTTP origin (`https://api.example.com`), or a Postgres URL.
 */
import { formatPath } from '../../model/problems';
import { postgresResource, redisResource } from '../resilience/resources';
import type { BreakerOverrides, BreakerSettings } from '../../model/breaker-settings';
import { applyBreakerOverrides, BREAKER_DEFAULTS, BreakerOverridesSchema } from '../../model/breaker-settings';

export interface BreakerConfig {
  /** Settings of every breaker unless overridden. */
  readonly defaults: BreakerSettings;
  /** Overrides by resource name (`postgres://host:port/db`, `redis://host:port`, `https://origin`). */
  readonly resources: Readonly<Record<string, BreakerOverrides>>;
  /** Share open and closed breakers with the other workers through Redis pub/sub. */
  readonly share: boolean;
  /** The pub/sub channel workers share breaker state on. */
  readonly channel: string;
}

/** The environment variable behind each setting. */
export const BREAKER_ENV = {
  timeout: 'PIPEWRIGHT_BREAKER_TIMEOUT',
  errorThresholdPercentage: 'PIPEWRIGHT_BREAKER_ERROR_THRESHOLD',
  volumeThreshold: 'PIPEWRIGHT_BREAKER_VOLUME_THRESHOLD',
  resetTimeout: 'PIPEWRIGHT_BREAKER_RESET_TIMEOUT',
  rollingWindow: 'PIPEWRIGHT_BREAKER_ROLLING_WINDOW',
} as const;
export const BREAKER_OVERRIDES_ENV = 'PIPEWRIGHT_BREAKER_OVERRIDES';

export interface BreakerEnvInput {
  readonly env: NodeJS.ProcessEnv;
  readonly databaseUrl: string;
  readonly connections: Readonly<Record<string, string>>;
  readonly redisUrl: string;
}

/** What the breaker variables decide; `loadConfig` adds the sharing settings. */
export type BreakerSettingsConfig = Omit<BreakerConfig, 'share' | 'channel'>;

/** The breaker configuration, or the problems (one line each, naming the variable and the path). */
export function parseBreakerConfig(input: BreakerEnvInput): { config?: BreakerSettingsConfig; problems: string[] } {
  const problems: string[] = [];
  const fromEnv: Record<string, unknown> = {};
  for (const [key, name] of Object.entries(BREAKER_ENV)) {
    const raw = input.env[name];
    if (raw === undefined || raw === '') continue;
    const numeric = key === 'errorThresholdPercentage' || key === 'volumeThreshold' || /^\d+$/.test(raw);
    fromEnv[key] = numeric ? Number(raw) : raw;
  }
  const envDefaults = BreakerOverridesSchema.safeParse(fromEnv);
  if (!envDefaults.success)
    for (const issue of envDefaults.error.issues) {
      const key = String(issue.path[0]) as keyof typeof BREAKER_ENV;
      problems.push(`${BREAKER_ENV[key] ?? key}: ${issue.message}`);
    }
  const resources = parseOverrides(input, problems);
  if (problems.length > 0 || !envDefaults.success) return { problems };
  return {
    problems,
    config: Object.freeze({
      defaults: Object.freeze(applyBreakerOverrides(BREAKER_DEFAULTS, envDefaults.data)),
      resources: Object.freeze(resources),
    }),
  };
}

function parseOverrides(input: BreakerEnvInput, problems: string[]): Record<string, BreakerOverrides> {
  const raw = input.env[BREAKER_OVERRIDES_ENV];
  const out: Record<string, BreakerOverrides> = {};
  if (raw === undefined || raw.trim() === '') return out;
  let parsed: unknown;
  try {
    parsed = JSON.parse(raw);
  } catch (err) {
    problems.push(`${BREAKER_OVERRIDES_ENV}: not JSON (${(err as Error).message})`);
    return out;
  }
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    problems.push(`${BREAKER_OVERRIDES_ENV}: expected a JSON object of resource to settings`);
    return out;
  }
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    const where = `${BREAKER_OVERRIDES_ENV}[${JSON.stringify(key)}]`;
    const resource = resourceOfKey(key, input);
    if (typeof resource !== 'string') {
      problems.push(`${where}: ${resource.problem}`);
      continue;
    }
    const settings = BreakerOverridesSchema.safeParse(value);
    if (!settings.success) {
      for (const issue of settings.error.issues)
        problems.push(`${where}${issue.path.length > 0 ? `.${formatPath(issue.path)}` : ''}: ${issue.message}`);
      continue;
    }
    out[resource] = { ...out[resource], ...settings.data };
  }
  return out;
}

function resourceOfKey(key: string, input: BreakerEnvInput): string | { problem: string } {
  if (key === 'database') return postgresResource(input.databaseUrl);
  if (key.startsWith('database:')) {
    const name = key.slice('database:'.length).toLowerCase();
    const url = input.connections[name];
    if (url === undefined)
      return {
        problem: `no DATABASE_URL_${name.toUpperCase()} is set (named connections: ${Object.keys(input.connections).join(', ') || 'none'})`,
      };
    return postgresResource(url);
  }
  if (key === 'redis') return redisResource(input.redisUrl);
  if (/^postgres(ql)?:\/\//.test(key)) return postgresResource(key);
  if (/^https?:\/\//.test(key)) {
    try {
      const u = new URL(key);
      if (u.pathname !== '/' || u.search || u.username)
        return { problem: 'an HTTP resource is an origin (scheme, host and port) without path, query or user' };
      return u.origin;
    } catch {
      return { problem: 'not a valid URL' };
    }
  }
  return {
    problem:
      'unknown resource: use "database", "database:<name>", "redis", an HTTP origin such as "https://api.example.com", or a postgres:// URL',
  };
}
