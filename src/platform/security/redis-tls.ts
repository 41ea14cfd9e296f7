/**
 * TLS for Redis: the `tls` option of an ioredis client, from REDIS_TLS, REDIS_TLS_CA, REDIS_TLS_CERT,
 * REDIS_TLS_KEY and REDIS_TLS_SERVER_NAME. A `rediss://` URL turns TLS on by itself (system CAs); these settings
 * add a private CA, a client certificate, or TLS for a `redis://` URL.
 *
 * ```ts
 * new Redis(url, { tls: redisTlsOptions(config.redisTls) });
 * ```
 */
import type { ConnectionOptions } from 'node:tls';
import type { TlsFilePaths } from './tls-files';
import { readTlsMaterial } from './tls-files';

export interface RedisTlsConfig extends TlsFilePaths {
  readonly serverName?: string;
}

export const REDIS_TLS_SETTINGS = { ca: 'REDIS_TLS_CA', cert: 'REDIS_TLS_CERT', key: 'REDIS_TLS_KEY' } as const;

/** ioredis's `tls` option, or undefined when Redis TLS is not configured (a `rediss://` URL still uses TLS). */
export function redisTlsOptions(config: RedisTlsConfig | undefined): ConnectionOptions | undefined {
  if (!config) return undefined;
  const { ca, cert, key } = readTlsMaterial(config, REDIS_TLS_SETTINGS);
  return { ca, cert, key, ...(config.serverName ? { servername: config.serverName } : {}) };
}
