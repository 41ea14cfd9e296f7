/**
 * Settings of secure connections and payload encryption: the zod shape merged into the settings schema, and the
 * part of the configuration built from it (files checked at start, one problem per bad setting).
 */
import { z } from 'zod';
import { InvalidCodecKeysError } from '../codec/errors';
import type { KeyRing } from '../codec/key-ring';
import { parseKeyRing } from '../codec/key-ring';
import type { PgSslConfig } from '../security/pg-ssl';
import { PG_SSL_MODES, PG_SSL_SETTINGS } from '../security/pg-ssl';
import type { RedisTlsConfig } from '../security/redis-tls';
import { REDIS_TLS_SETTINGS } from '../security/redis-tls';
import type { TlsFilePaths, TlsFileSettings } from '../security/tls-files';
import { readTlsMaterial } from '../security/tls-files';
import { ConfigError } from '../errors';
import { bool, list, optionalText, port } from './setting-types';

const origin = z.string().refine((v) => v === '*' || /^https?:\/\/[^/\s]+$/.test(v), {
  message: 'expected origins such as http://localhost:8233 (scheme, host and port; no path), or *',
});

export const SECURITY_SETTINGS = {
  PIPEWRIGHT_CODEC_KEYS: optionalText,
  PIPEWRIGHT_CODEC_KEY_ID: optionalText,
  PIPEWRIGHT_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  PIPEWRIGHT_CODEC_PORT: optionalText.pipe(port.optional()),
  PIPEWRIGHT_CODEC_CORS_ORIGINS: list.pipe(z.array(origin)).default('http://localhost:8233,http://127.0.0.1:8233'),
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

/** The codec endpoint (`pipewright codec-server`, or in the worker when `port` is set). */
export interface CodecServerConfig {
  readonly host: string;
  readonly port?: number;
  readonly corsOrigins: readonly string[];
}

export interface SecurityConfig {
  /** The payload encryption keys; undefined: payloads are not encrypted. */
  readonly codecKeys?: KeyRing;
  readonly codecServer: CodecServerConfig;
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
  const problems: string[] = [];
  let codecKeys: KeyRing | undefined;
  if (e.PIPEWRIGHT_CODEC_KEYS) {
    try {
      codecKeys = parseKeyRing(e.PIPEWRIGHT_CODEC_KEYS, e.PIPEWRIGHT_CODEC_KEY_ID);
    } catch (err) {
      if (!(err instanceof InvalidCodecKeysError)) throw err;
      problems.push(...err.problems.map((p) => `PIPEWRIGHT_CODEC_KEYS: ${p}`));
    }
  } else if (e.PIPEWRIGHT_CODEC_KEY_ID) {
    problems.push('PIPEWRIGHT_CODEC_KEY_ID: set, but PIPEWRIGHT_CODEC_KEYS holds no keys');
  }
  if (e.PIPEWRIGHT_CODEC_PORT !== undefined && !e.PIPEWRIGHT_CODEC_KEYS)
    problems.push('PIPEWRIGHT_CODEC_PORT: the codec endpoint needs the keys in PIPEWRIGHT_CODEC_KEYS');
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
      codecKeys,
      codecServer: Object.freeze({
        host: e.PIPEWRIGHT_CODEC_HOST,
        port: e.PIPEWRIGHT_CODEC_PORT,
        corsOrigins: Object.freeze([...e.PIPEWRIGHT_CODEC_CORS_ORIGINS]),
      }),
      pgSsl: pgSsl && Object.freeze(pgSsl),
      redisTls: redisWanted ? Object.freeze({ ...redisFiles, serverName: e.REDIS_TLS_SERVER_NAME }) : undefined,
    },
  };
}
