/** Connection options for Temporal (plain, TLS, mTLS, API key) from configuration; certificates read from files. */
import fs from 'node:fs';
import type { TLSConfig } from '@temporalio/common/lib/internal-non-workflow';
import type { TemporalConfig } from './config';
import { ConfigError } from './config';

export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: TLSConfig | boolean;
  readonly apiKey?: string;
}

const readFile = (setting: string, path: string): Buffer => {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    throw new ConfigError([
      `${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`,
    ]);
  }
};

export function temporalConnectionOptions(config: TemporalConfig): TemporalConnectionOptions {
  const t = config.tls;
  if (!t) return { address: config.address, apiKey: config.apiKey };
  const tls: TLSConfig = {
    serverNameOverride: t.serverName,
    serverRootCACertificate: t.caPath ? readFile('TEMPORAL_TLS_CA', t.caPath) : undefined,
    clientCertPair:
      t.certPath && t.keyPath
        ? { crt: readFile('TEMPORAL_TLS_CERT', t.certPath), key: readFile('TEMPORAL_TLS_KEY', t.keyPath) }
        : undefined,
  };
  return { address: config.address, tls, apiKey: config.apiKey };
}
