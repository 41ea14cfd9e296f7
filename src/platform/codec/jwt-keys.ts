/**
 * The keys that verify the JWTs the codec endpoint accepts, from a file (`PIPEWRIGHT_CODEC_JWT_KEYS_FILE`): a JWKS
 * (`{ "keys": [...] }`, as an identity provider publishes it, saved to the file: nothing is fetched), one JWK, or
 * PEM public keys and certificates. RSA keys (2048 bits or more) verify RS256, P-256 keys ES256, `oct` keys (32
 * bytes or more) HS256. JWKS entries for other uses or algorithms are skipped.
 */
import type { JsonWebKey, KeyObject } from 'node:crypto';
import { X509Certificate, createPublicKey, createSecretKey } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidCodecCredentialsError } from './errors';

export const JWT_ALGORITHMS = ['RS256', 'ES256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

export interface JwtKey {
  /** The JWK's `kid`; PEM keys have none and are tried for any token of their algorithm. */
  readonly kid?: string;
  readonly alg: JwtAlgorithm;
  readonly key: KeyObject;
}

const MIN_RSA_BITS = 2048;
const MIN_HMAC_BYTES = 32;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]+?-----END \1-----/g;

/** The keys by algorithm and kid. Keys never print: `inspect` and JSON show algorithms and kids only. */
export class JwtKeys {
  readonly #keys: readonly JwtKey[];

  constructor(keys: readonly JwtKey[]) {
    this.#keys = keys;
  }

  get size(): number {
    return this.#keys.length;
  }

  /** The keys that may have signed a token of `alg` and `kid`: that kid's, or those without a kid. */
  candidates(alg: JwtAlgorithm, kid: string | undefined): readonly JwtKey[] {
    return this.#keys.filter((k) => k.alg === alg && (k.kid === undefined || kid === undefined || k.kid === kid));
  }

  /** e.g. `RS256 kid 2026-05, ES256 (no kid)`. */
  describe(): string {
    return this.#keys.map((k) => `${k.alg} ${k.kid === undefined ? '(no kid)' : `kid ${k.kid}`}`).join(', ');
  }

  toJSON(): string {
    return this.describe();
  }

  [inspect.custom](): string {
    return `JwtKeys(${this.describe()})`;
  }
}

/** The RS256 or ES256 key of a public key, or what is wrong with it. */
function asymmetric(key: KeyObject, kid?: string): JwtKey | string {
  const details = key.asymmetricKeyDetails ?? {};
  if (key.asymmetricKeyType === 'rsa') {
    const bits = details.modulusLength ?? 0;
    if (bits < MIN_RSA_BITS) return `an RSA key of ${bits} bits; RS256 needs ${MIN_RSA_BITS} or more`;
    return { kid, alg: 'RS256', key };
  }
  if (key.asymmetricKeyType === 'ec' && details.namedCurve === 'prime256v1') return { kid, alg: 'ES256', key };
  return `a ${key.asymmetricKeyType ?? 'unknown'} ${details.namedCurve ?? ''} key; RS256 needs RSA, ES256 needs P-256`;
}

type Jwk = Record<string, unknown>;

/** The key of a JWK; `skip` for a key for something else (encryption, another algorithm or curve); or a problem. */
function fromJwk(jwk: Jwk): JwtKey | 'skip' | string {
  const { kty, alg, use, kid } = jwk;
  if (kid !== undefined && typeof kid !== 'string') return '"kid" is not a string';
  if (use !== undefined && use !== 'sig') return 'skip';
  const wanted = { RSA: 'RS256', EC: 'ES256', oct: 'HS256' }[String(kty)];
  if (wanted === undefined || (alg !== undefined && alg !== wanted)) return 'skip';
  try {
    if (kty === 'oct') {
      const secret = Buffer.from(String(jwk.k ?? ''), 'base64url');
      if (secret.length < MIN_HMAC_BYTES)
        return `an HS256 secret of ${secret.length} bytes; give ${MIN_HMAC_BYTES} or more`;
      return { kid, alg: 'HS256', key: createSecretKey(secret) };
    }
    if (kty === 'EC' && jwk.crv !== 'P-256') return 'skip';
    // Only the public members: a JWK with private ones still gives its public key, and nothing secret is kept.
    const members = kty === 'RSA' ? { kty, n: jwk.n, e: jwk.e } : { kty, crv: jwk.crv, x: jwk.x, y: jwk.y };
    return asymmetric(createPublicKey({ key: members as JsonWebKey, format: 'jwk' }), kid);
  } catch (err) {
    return `not a valid ${String(kty)} key (${(err as Error).message})`;
  }
}

function fromJson(text: string, problems: string[]): JwtKey[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    problems.push(`not valid JSON (${(err as Error).message})`);
    return [];
  }
  const set = parsed as { keys?: unknown; kty?: unknown };
  const jwks = Array.isArray(set?.keys) ? set.keys : typeof set?.kty === 'string' ? [set] : undefined;
  if (!jwks) {
    problems.push('expected a JWKS ({ "keys": [...] }) or a JWK ({ "kty": ... })');
    return [];
  }
  const keys: JwtKey[] = [];
  jwks.forEach((jwk: unknown, index) => {
    const name = `key ${index + 1}${typeof (jwk as Jwk)?.kid === 'string' ? ` (kid "${(jwk as Jwk).kid as string}")` : ''}`;
    const key = jwk && typeof jwk === 'object' ? fromJwk(jwk as Jwk) : 'not a JSON object';
    if (key === 'skip') return;
    if (typeof key === 'string') problems.push(`${name}: ${key}`);
    else if (key.kid !== undefined && keys.some((k) => k.kid === key.kid)) problems.push(`${name}: kid given twice`);
    else keys.push(key);
  });
  return keys;
}

function fromPem(text: string, problems: string[]): JwtKey[] {
  const keys: JwtKey[] = [];
  [...text.matchAll(PEM_BLOCK)].forEach(([block, type], index) => {
    const name = `PEM block ${index + 1} (${type})`;
    if (type?.includes('PRIVATE'))
      return problems.push(`${name}: a private key; give its public key (openssl pkey -pubout)`);
    try {
      const publicKey = type === 'CERTIFICATE' ? new X509Certificate(block).publicKey : createPublicKey(block);
      const key = asymmetric(publicKey);
      if (typeof key === 'string') problems.push(`${name}: ${key}`);
      else keys.push(key);
    } catch (err) {
      problems.push(`${name}: not a valid public key or certificate (${(err as Error).message})`);
    }
  });
  return keys;
}

/**
 * Parses the file's text. Throws {@link InvalidCodecCredentialsError} listing every bad key, or saying that no key
 * can verify RS256, ES256 or HS256; never shows key material.
 */
export function parseJwtKeys(text: string): JwtKeys {
  const problems: string[] = [];
  const trimmed = text.trim();
  let keys: JwtKey[] = [];
  if (trimmed.startsWith('{')) keys = fromJson(trimmed, problems);
  else if (trimmed.includes('-----BEGIN ')) keys = fromPem(trimmed, problems);
  else problems.push('expected a JWKS or JWK (JSON), or PEM public keys or certificates');
  if (problems.length === 0 && keys.length === 0)
    problems.push(`no key that verifies ${JWT_ALGORITHMS.join(', ')} (keys for other uses or algorithms are skipped)`);
  if (problems.length > 0) throw new InvalidCodecCredentialsError(problems);
  return new JwtKeys(keys);
}
