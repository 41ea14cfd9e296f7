/**
 * TLS for Postgres from libpq-style settings (PGSSLMODE, PGSSLROOTCERT, PGSSLCERT, PGSSLKEY), applied to every
 * pool. `sslmode`, `sslrootcert`, `sslcert` and `sslkey` in a connection URL take precedence for that URL
 * (node-postgres reads them from the URL).
 */
import type { ConnectionOptions } from 'node:tls';
import type { TlsFilePaths } from './tls-files';
import { readTlsMaterial } from './tls-files';

/** libpq's modes that node-postgres can honour (it cannot fall back to plain text, so no `allow`/`prefer`). */
export const PG_SSL_MODES = ['disable', 'require', 'verify-ca', 'verify-full'] as const;
export type PgSslMode = (typeof PG_SSL_MODES)[number];

export interface PgSslConfig extends TlsFilePaths {
  readonly mode: PgSslMode;
}

export const PG_SSL_SETTINGS = { ca: 'PGSSLROOTCERT', cert: 'PGSSLCERT', key: 'PGSSLKEY' } as const;

/**
 * The `ssl` option of a `pg.Pool`: false for `disable`; for `require`, encryption without verifying the server,
 * unless a root certificate is given (then, as in libpq, it is verified like `verify-ca`); `verify-ca` checks the
 * chain; `verify-full` also the host name. Undefined when PGSSLMODE is unset.
 */
export function pgSslOptions(config: PgSslConfig | undefined): ConnectionOptions | false | undefined {
  if (!config) return undefined;
  if (config.mode === 'disable') return false;
  const { ca, cert, key } = readTlsMaterial(config, PG_SSL_SETTINGS);
  const verifyChain = config.mode !== 'require' || ca !== undefined;
  return {
    ca,
    cert,
    key,
    rejectUnauthorized: verifyChain,
    ...(config.mode === 'verify-full' ? {} : { checkServerIdentity: () => undefined }),
  };
}
