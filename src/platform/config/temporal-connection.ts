/** Connection options for Temporal (plain, TLS, mTLS, API key) from configuration; certificates read from files. */
import type { TLSConfig } from '@temporalio/client';
import { readTlsMaterial } from '../security/tls-files';
import { TEMPORAL_TLS_SETTINGS, type TemporalConfig } from './config';

export interface TemporalConnectionOptions {
  readonly address: string;
  readonly tls?: TLSConfig | boolean;
  readonly apiKey?: string;
}

/**
 * Options for `Connection.connect` and `NativeConnection.connect`. Reads the certificate files now (throwing a
 * `ConfigError` naming the setting when one cannot be used), so a rotated certificate is picked up on reconnect.
 */
export function temporalConnectionOptions(config: TemporalConfig): TemporalConnectionOptions {
  const apiKey = config.apiKey?.reveal();
  const t = config.tls;
  if (!t) return { address: config.address, apiKey };
  const { ca, cert, key } = readTlsMaterial(t, TEMPORAL_TLS_SETTINGS);
  const tls: TLSConfig = {
    serverNameOverride: t.serverName,
    serverRootCACertificate: ca,
    clientCertPair: cert && key ? { crt: cert, key } : undefined,
  };
  return { address: config.address, tls, apiKey };
}
