/**
 * Certificate, CA and private key files for TLS (Temporal, Postgres, Redis), read and checked at start so a bad
 * path or a malformed file stops the process with one line naming the setting, not a TLS error later.
 */
import { X509Certificate, createPrivateKey } from 'node:crypto';
import fs from 'node:fs';
import { ConfigError } from '../errors';

/** Paths of the files of one TLS client, as configured. */
export interface TlsFilePaths {
  readonly caPath?: string;
  readonly certPath?: string;
  readonly keyPath?: string;
}

/** The setting names of those paths, for messages. */
export interface TlsFileSettings {
  readonly ca: string;
  readonly cert: string;
  readonly key: string;
}

/** File contents, ready for `tls.connect` (`ca`, `cert`, `key`) or Temporal's `TLSConfig`. */
export interface TlsMaterial {
  readonly ca?: Buffer;
  readonly cert?: Buffer;
  readonly key?: Buffer;
}

const PEM_CERTIFICATE = /-----BEGIN CERTIFICATE-----[\s\S]+?-----END CERTIFICATE-----/g;

function read(setting: string, path: string, problems: string[]): Buffer | undefined {
  try {
    return fs.readFileSync(path);
  } catch (err) {
    problems.push(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return undefined;
  }
}

function certificates(setting: string, path: string, pem: Buffer, problems: string[]): X509Certificate[] {
  const blocks = pem.toString('utf8').match(PEM_CERTIFICATE) ?? [];
  if (blocks.length === 0) {
    problems.push(`${setting}: ${path} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`);
    return [];
  }
  const parsed: X509Certificate[] = [];
  for (const block of blocks) {
    try {
      parsed.push(new X509Certificate(block));
    } catch (err) {
      problems.push(`${setting}: ${path} holds a malformed certificate (${(err as Error).message})`);
      return [];
    }
  }
  const expired = parsed.find((c) => Date.parse(c.validTo) < Date.now());
  if (expired) problems.push(`${setting}: the certificate in ${path} expired on ${expired.validTo}`);
  return parsed;
}

/**
 * Reads and checks the files: each readable, certificates parse and have not expired, the key parses (unencrypted
 * PEM) and belongs to the certificate, certificate and key given together. Throws {@link ConfigError} listing
 * every problem.
 */
export function readTlsMaterial(paths: TlsFilePaths, settings: TlsFileSettings): TlsMaterial {
  const problems: string[] = [];
  if (Boolean(paths.certPath) !== Boolean(paths.keyPath))
    problems.push(
      paths.certPath
        ? `${settings.key}: missing; a client certificate (${settings.cert}) needs its private key`
        : `${settings.cert}: missing; a private key (${settings.key}) needs its client certificate`,
    );
  const ca = paths.caPath ? read(settings.ca, paths.caPath, problems) : undefined;
  if (ca && paths.caPath) certificates(settings.ca, paths.caPath, ca, problems);
  const cert = paths.certPath ? read(settings.cert, paths.certPath, problems) : undefined;
  const [leaf] = cert && paths.certPath ? certificates(settings.cert, paths.certPath, cert, problems) : [];
  const key = paths.keyPath ? read(settings.key, paths.keyPath, problems) : undefined;
  if (key && paths.keyPath) {
    try {
      const privateKey = createPrivateKey(key);
      if (leaf && !leaf.checkPrivateKey(privateKey))
        problems.push(
          `${settings.key}: ${paths.keyPath} is not the private key of the certificate in ${settings.cert}`,
        );
    } catch (err) {
      problems.push(
        `${settings.key}: ${paths.keyPath} is not an unencrypted PEM private key (${(err as Error).message})`,
      );
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);
  return { ca, cert, key };
}
