/**
 * Settings of secure connections and payload encryption: the zod shape merged into the settings schema, and the
 * part of the configuration built from it (files checked at start, one problem per bad setting). The codec's own
 * settings are in `codec-settings.ts`.
 */
import { z } from 'zod';
import type { PgSslConfig } from '../security/pg-ssl';
import { PG_SSL_MODES, PG_SSL_SETTINGS } from '../security/pg-ssl';
import type { RedisTlsConfig } from '../security/redis-tls';
import { REDIS_TLS_SETTINGS } from '../security/redis-tls';
import type { TlsFilePaths, TlsFileSettings } from '../security/tls-files';
import { readTlsMaterial } from '../security/tls-files';
import { ConfigError } from '../errors';
import type { CodecConfig } from './codec-settings';
import { CODEC_SETTINGS, buildCodecConfig } from './codec-settings';
import { bool, optionalText } from './setting-types';

export const SECURITY_SETTINGS = {
  ...CODEC_SETTINGS,
  PGSSLMODE: optionalText.pipe(z.enum(PG_SSL_MODES).optional()),
  PGSSLROOTCERT: optionalText,
  PGSSLCERT: optionalText,
  PGSSLKEY: optionalText,
  REDIS_TLS: bool.default('false'),
  REDIS_TLS_CA: optionalText,
  REDIS_TLS_CERT: optionalText,
  REDIS_TLS_KEY: optionalText,
  REDIS_TLS_SERVER_NAME: optionalText,
};
export type SecuritySettings = z.infer<z.ZodObject<typeof SECURITY_SETTINGS>>;

export interface SecurityConfig extends CodecConfig {
  /** Postgres TLS for every pool (PGSSL*); undefined: as the URL says. */
  readonly pgSsl?: PgSslConfig;
  /** Redis TLS options for ioredis (see `redisTlsOptions`); undefined: as the URL says. */
  readonly redisTls?: RedisTlsConfig;
}

/** Checks TLS files at start, collecting each problem (they name their settings). */
export function tlsFileProblems(paths: TlsFilePaths, settings: TlsFileSettings): string[] {
  try {
    readTlsMaterial(paths, settings);
    return [];
  } catch (err) {
    if (err instanceof ConfigError) return [...err.problems];
    throw err;
  }
}

export function buildSecurityConfig(e: SecuritySettings): { config: SecurityConfig; problems: string[] } {
  const codec = buildCodecConfig(e);
  const problems = [...codec.problems];
  const pgFiles = { caPath: e.PGSSLROOTCERT, certPath: e.PGSSLCERT, keyPath: e.PGSSLKEY };
  const pgSsl = e.PGSSLMODE ? { mode: e.PGSSLMODE, ...pgFiles } : undefined;
  if (!pgSsl && (pgFiles.caPath || pgFiles.certPath || pgFiles.keyPath))
    problems.push('PGSSLMODE: unset, but PGSSLROOTCERT, PGSSLCERT or PGSSLKEY is set; say which mode to use');
  if (pgSsl && pgSsl.mode !== 'disable') problems.push(...tlsFileProblems(pgFiles, PG_SSL_SETTINGS));
  const redisFiles = { caPath: e.REDIS_TLS_CA, certPath: e.REDIS_TLS_CERT, keyPath: e.REDIS_TLS_KEY };
  const redisWanted = e.REDIS_TLS || Boolean(redisFiles.caPath || redisFiles.certPath || e.REDIS_TLS_SERVER_NAME);
  if (redisWanted) problems.push(...tlsFileProblems(redisFiles, REDIS_TLS_SETTINGS));
  return {
    problems,
    config: {
      ...codec.config,
      pgSsl: pgSsl && Object.freeze(pgSsl),
      redisTls: redisWanted ? Object.freeze({ ...redisFiles, serverName: e.REDIS_TLS_SERVER_NAME }) : undefined,
    },
  };
}
