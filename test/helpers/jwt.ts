/** JWTs for the codec endpoint's tests: keys made at test time and tokens signed with them (Node's crypto only). */
import type { KeyObject } from 'node:crypto';
import { createHmac, generateKeyPairSync, randomBytes, sign } from 'node:crypto';

export type TestAlgorithm = 'RS256' | 'ES256' | 'HS256';

export interface TestSigningKey {
  readonly alg: TestAlgorithm;
  readonly kid: string;
  /** What signs: a private key, or the HMAC secret. */
  readonly signingKey: KeyObject | Buffer;
  /** The JWK a verifier holds (public members only, or the `oct` secret). */
  readonly jwk: Record<string, unknown>;
  /** The public key in PEM (not for HS256). */
  readonly publicPem?: string;
}

export function makeSigningKey(alg: TestAlgorithm, kid: string): TestSigningKey {
  if (alg === 'HS256') {
    const secret = randomBytes(32);
    return { alg, kid, signingKey: secret, jwk: { kty: 'oct', kid, alg, k: secret.toString('base64url') } };
  }
  const { privateKey, publicKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 2048 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return {
    alg,
    kid,
    signingKey: privateKey,
    jwk: { ...publicKey.export({ format: 'jwk' }), kid, alg, use: 'sig' },
    publicPem: publicKey.export({ format: 'pem', type: 'spki' }).toString(),
  };
}

const part = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A compact JWS of `claims`; `header` adds to or overrides `{ alg, kid, typ }`. */
export function signJwt(
  key: TestSigningKey,
  claims: Record<string, unknown>,
  header: Record<string, unknown> = {},
): string {
  const input = `${part({ alg: key.alg, kid: key.kid, typ: 'JWT', ...header })}.${part(claims)}`;
  let signature: Buffer;
  if (key.alg === 'HS256') signature = createHmac('sha256', key.signingKey).update(input).digest();
  else if (key.alg === 'ES256')
    signature = sign('sha256', Buffer.from(input), { key: key.signingKey as KeyObject, dsaEncoding: 'ieee-p1363' });
  else signature = sign('sha256', Buffer.from(input), key.signingKey as KeyObject);
  return `${input}.${signature.toString('base64url')}`;
}

/** Seconds since the epoch, `offset` seconds from now. */
export const epoch = (offset = 0): number => Math.floor(Date.now() / 1000) + offset;
