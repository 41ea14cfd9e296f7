/** Postgres for commands that talk to the database themselves: pools of DATABASE_URL with the configured TLS. */
import type { Config } from '../platform/config/config';
import { createPools, type Pools } from '../platform/db/pools';
import { pgSslOptions } from '../platform/security/pg-ssl';

/** Pools of at most `max` clients, TLS as `PGSSL*` says; the caller closes them. */
export function cliPools(config: Config, max: number): Pools {
  const ssl = pgSslOptions(config.pgSsl);
  return createPools({ defaultUrl: config.db.url, max, ...(ssl !== undefined ? { poolConfig: { ssl } } : {}) });
}
