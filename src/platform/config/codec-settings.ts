/**
 * Settings of payload encryption and of the codec endpoint: the keys, where the endpoint listens, its CORS origins,
 * TLS, and the credentials it accepts (a tokens file, JWT keys). Files are read and checked at start; each problem
 * is one line naming its setting.
 */
import fs from 'node:fs';
import { z } from 'zod';
import type { CodecTokens } from '../codec/codec-tokens';
import { parseCodecTokens } from '../codec/codec-tokens';
import type { CodecAuth } from '../codec/credentials';
import { missingCredentials } from '../codec/credentials';
import { InvalidCodecCredentialsError, InvalidCodecKeysError } from '../codec/errors';
import type { JwtRules } from '../codec/jwt';
import type { JwtKeys } from '../codec/jwt-keys';
import { parseJwtKeys } from '../codec/jwt-keys';
import type { KeyRing } from '../codec/key-ring';
import { parseKeyRing } from '../codec/key-ring';
import { ConfigError } from '../errors';
import { readTlsMaterial } from '../security/tls-files';
import { list, optionalText, port } from './setting-types';

const origin = z.string().refine((v) => v === '*' || /^https?:\/\/[^/\s]+$/.test(v), {
  message: 'expected origins such as http://localhost:8233 (scheme, host and port; no path), or *',
});

export const CODEC_SETTINGS = {
  PIPEWRIGHT_CODEC_KEYS: optionalText,
  PIPEWRIGHT_CODEC_KEY_ID: optionalText,
  PIPEWRIGHT_CODEC_HOST: z.string().min(1).default('127.0.0.1'),
  PIPEWRIGHT_CODEC_PORT: optionalText.pipe(port.optional()),
  PIPEWRIGHT_CODEC_CORS_ORIGINS: list.pipe(z.array(origin)).default('http://localhost:8233,http://127.0.0.1:8233'),
  PIPEWRIGHT_CODEC_TLS_CERT: optionalText,
  PIPEWRIGHT_CODEC_TLS_KEY: optionalText,
  PIPEWRIGHT_CODEC_AUTH: optionalText.pipe(z.enum(['credentials', 'none']).optional()),
  PIPEWRIGHT_CODEC_TOKENS_FILE: optionalText,
  PIPEWRIGHT_CODEC_JWT_KEYS_FILE: optionalText,
  PIPEWRIGHT_CODEC_JWT_ISSUER: optionalText,
  PIPEWRIGHT_CODEC_JWT_AUDIENCE: list.default(''),
  PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM: optionalText,
};
export type CodecSettings = z.infer<z.ZodObject<typeof CODEC_SETTINGS>>;

/** The default claim of a JWT that lists the namespaces it may decode. */
export const DEFAULT_NAMESPACES_CLAIM = 'namespaces';

/** The codec endpoint (`pipewright codec-server`, or in the worker when `port` is set). */
export interface CodecServerConfig {
  readonly host: string;
  readonly port?: number;
  readonly corsOrigins: readonly string[];
  /** HTTPS with this certificate and key (PIPEWRIGHT_CODEC_TLS_CERT, _KEY); plain HTTP when unset. */
  readonly tls?: { readonly cert: Buffer; readonly key: Buffer };
  /** The credentials it accepts, or none at all (PIPEWRIGHT_CODEC_AUTH=none). */
  readonly auth: CodecAuth;
}

export interface CodecConfig {
  /** The payload encryption keys; undefined: payloads are not encrypted. */
  readonly codecKeys?: KeyRing;
  readonly codecServer: CodecServerConfig;
}

/** Reads and parses a credentials file; a problem names the setting, the file and where in it. */
function credentialsFile<T>(setting: string, path: string, parse: (text: string) => T, problems: string[]) {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (err) {
    problems.push(`${setting}: cannot read ${path} (${(err as NodeJS.ErrnoException).code ?? (err as Error).message})`);
    return undefined;
  }
  try {
    return parse(text);
  } catch (err) {
    if (!(err instanceof InvalidCodecCredentialsError)) throw err;
    problems.push(...err.problems.map((p) => `${setting}: ${path} ${p}`));
    return undefined;
  }
}

function buildAuth(e: CodecSettings, problems: string[]): CodecAuth {
  const files = (['PIPEWRIGHT_CODEC_TOKENS_FILE', 'PIPEWRIGHT_CODEC_JWT_KEYS_FILE'] as const).filter((s) => e[s]);
  if (e.PIPEWRIGHT_CODEC_AUTH === 'none') {
    if (files.length > 0)
      problems.push(`PIPEWRIGHT_CODEC_AUTH: none, but ${files.join(' and ')} set: unset one or the other`);
    return Object.freeze({ kind: 'none' as const });
  }
  const tokens: CodecTokens | undefined = e.PIPEWRIGHT_CODEC_TOKENS_FILE
    ? credentialsFile('PIPEWRIGHT_CODEC_TOKENS_FILE', e.PIPEWRIGHT_CODEC_TOKENS_FILE, parseCodecTokens, problems)
    : undefined;
  const keys: JwtKeys | undefined = e.PIPEWRIGHT_CODEC_JWT_KEYS_FILE
    ? credentialsFile('PIPEWRIGHT_CODEC_JWT_KEYS_FILE', e.PIPEWRIGHT_CODEC_JWT_KEYS_FILE, parseJwtKeys, problems)
    : undefined;
  const jwtOnly = {
    PIPEWRIGHT_CODEC_JWT_ISSUER: e.PIPEWRIGHT_CODEC_JWT_ISSUER,
    PIPEWRIGHT_CODEC_JWT_AUDIENCE: e.PIPEWRIGHT_CODEC_JWT_AUDIENCE.length > 0 ? 'set' : undefined,
    PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM: e.PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM,
  };
  if (!e.PIPEWRIGHT_CODEC_JWT_KEYS_FILE)
    for (const [setting, value] of Object.entries(jwtOnly))
      if (value !== undefined) problems.push(`${setting}: set, but PIPEWRIGHT_CODEC_JWT_KEYS_FILE names no JWT keys`);
  const jwt: JwtRules | undefined = keys && {
    keys,
    issuer: e.PIPEWRIGHT_CODEC_JWT_ISSUER,
    audiences: Object.freeze([...e.PIPEWRIGHT_CODEC_JWT_AUDIENCE]),
    namespacesClaim: e.PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM ?? DEFAULT_NAMESPACES_CLAIM,
  };
  return Object.freeze({ kind: 'credentials' as const, tokens, jwt: jwt && Object.freeze(jwt) });
}

function buildTls(e: CodecSettings, problems: string[]): CodecServerConfig['tls'] {
  const { PIPEWRIGHT_CODEC_TLS_CERT: certPath, PIPEWRIGHT_CODEC_TLS_KEY: keyPath } = e;
  if (!certPath && !keyPath) return undefined;
  if (!certPath || !keyPath) {
    problems.push(
      certPath
        ? 'PIPEWRIGHT_CODEC_TLS_KEY: missing; the certificate in PIPEWRIGHT_CODEC_TLS_CERT needs its private key'
        : 'PIPEWRIGHT_CODEC_TLS_CERT: missing; the key in PIPEWRIGHT_CODEC_TLS_KEY needs its certificate',
    );
    return undefined;
  }
  try {
    const settings = { ca: '', cert: 'PIPEWRIGHT_CODEC_TLS_CERT', key: 'PIPEWRIGHT_CODEC_TLS_KEY' };
    const { cert, key } = readTlsMaterial({ certPath, keyPath }, settings);
    return cert && key ? Object.freeze({ cert, key }) : undefined;
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    problems.push(...err.problems);
    return undefined;
  }
}

export function buildCodecConfig(e: CodecSettings): { config: CodecConfig; problems: string[] } {
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
  const auth = buildAuth(e, problems);
  const tls = buildTls(e, problems);
  if (e.PIPEWRIGHT_CODEC_PORT !== undefined) {
    // A credentials file that cannot be used has its own problem already.
    const filesGiven = Boolean(e.PIPEWRIGHT_CODEC_TOKENS_FILE || e.PIPEWRIGHT_CODEC_JWT_KEYS_FILE);
    const missing = filesGiven ? undefined : missingCredentials(auth);
    if (!e.PIPEWRIGHT_CODEC_KEYS)
      problems.push('PIPEWRIGHT_CODEC_PORT: the codec endpoint needs the keys in PIPEWRIGHT_CODEC_KEYS');
    else if (missing) problems.push(`PIPEWRIGHT_CODEC_PORT: ${missing}`);
  }
  return {
    problems,
    config: {
      codecKeys,
      codecServer: Object.freeze({
        host: e.PIPEWRIGHT_CODEC_HOST,
        port: e.PIPEWRIGHT_CODEC_PORT,
        corsOrigins: Object.freeze([...e.PIPEWRIGHT_CODEC_CORS_ORIGINS]),
        tls,
        auth,
      }),
    },
  };
}
