/**
 * JWTs for the codec endpoint: keys from a JWKS, a JWK or PEM (bad ones refused with where and why, keys for other
 * uses skipped), and tokens verified by signature (RS256, ES256, HS256), exp, nbf, iss, aud and the namespaces
 * claim.
 */
import { generateKeyPairSync } from 'node:crypto';
import { inspect } from 'node:util';
import { InvalidCodecCredentialsError } from '../../../src/platform/codec/errors';
import type { JwtRules } from '../../../src/platform/codec/jwt';
import { CLOCK_SKEW_SECONDS, verifyJwt } from '../../../src/platform/codec/jwt';
import { parseJwtKeys } from '../../../src/platform/codec/jwt-keys';
import type { TestSigningKey } from '../../helpers/jwt';
import { epoch, makeSigningKey, signJwt } from '../../helpers/jwt';
import { problemsThrown } from '../../helpers/problems';

const rsa = makeSigningKey('RS256', 'rsa-1');
const ec = makeSigningKey('ES256', 'ec-1');
const hmac = makeSigningKey('HS256', 'hs-1');
const stranger = makeSigningKey('RS256', 'rsa-1'); // the same kid, another key

const jwks = (...keys: TestSigningKey[]): string => JSON.stringify({ keys: keys.map((k) => k.jwk) });
const rules = (over: Partial<JwtRules> = {}): JwtRules => ({
  keys: parseJwtKeys(jwks(rsa, ec, hmac)),
  audiences: [],
  namespacesClaim: 'namespaces',
  ...over,
});
const claims = (over: Record<string, unknown> = {}) => ({
  sub: 'alice@example.com',
  exp: epoch(300),
  namespaces: ['default'],
  ...over,
});

const keyProblems = (text: string) => problemsThrown(InvalidCodecCredentialsError, () => parseJwtKeys(text));

test('a JWKS, a single JWK and PEM public keys or certificates load; keys never print', () => {
  const keys = parseJwtKeys(jwks(rsa, ec, hmac));
  expect(keys.describe()).toBe('RS256 kid rsa-1, ES256 kid ec-1, HS256 kid hs-1');
  expect(inspect(keys)).toBe('JwtKeys(RS256 kid rsa-1, ES256 kid ec-1, HS256 kid hs-1)');
  expect(JSON.stringify({ keys })).not.toContain(String(hmac.jwk.k));
  expect(parseJwtKeys(JSON.stringify(ec.jwk)).describe()).toBe('ES256 kid ec-1');
  expect(parseJwtKeys(`${rsa.publicPem}\n${ec.publicPem}`).describe()).toBe('RS256 (no kid), ES256 (no kid)');
});

test('keys for encryption, other algorithms and curves are skipped; a file with none usable is refused', () => {
  const p384 = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({ format: 'jwk' });
  const keys = parseJwtKeys(
    JSON.stringify({
      keys: [
        { ...rsa.jwk, kid: 'enc', use: 'enc' },
        { ...rsa.jwk, kid: 'rs512', alg: 'RS512' },
        { ...p384, kid: 'p384' },
        { kty: 'OKP', crv: 'Ed25519', x: 'AAAA', kid: 'ed' },
        rsa.jwk,
      ],
    }),
  );
  expect(keys.describe()).toBe('RS256 kid rsa-1');
  expect(keyProblems(JSON.stringify({ keys: [{ ...rsa.jwk, use: 'enc' }] }))).toEqual([
    'no key that verifies RS256, ES256, HS256 (keys for other uses or algorithms are skipped)',
  ]);
});

test('bad keys are refused, each naming where it is and why, never showing key material', () => {
  const small = generateKeyPairSync('rsa', { modulusLength: 1024 }).publicKey.export({ format: 'jwk' });
  expect(
    keyProblems(
      JSON.stringify({
        keys: [
          { kty: 'RSA', e: 'AQAB', kid: 'broken' },
          { ...small, kid: 'small' },
          { kty: 'oct', k: 'c2hvcnQ', kid: 'short' },
          'a string',
          rsa.jwk,
          { ...rsa.jwk },
        ],
      }),
    ).map((p) => p.replace(/ key \(.*\)$/, ' key (...)')),
  ).toEqual([
    'key 1 (kid "broken"): not a valid RSA key (...)',
    'key 2 (kid "small"): an RSA key of 1024 bits; RS256 needs 2048 or more',
    'key 3 (kid "short"): an HS256 secret of 5 bytes; give 32 or more',
    'key 4: not a JSON object',
    'key 6 (kid "rsa-1"): kid given twice',
  ]);
  const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const privatePem = privateKey.export({ format: 'pem', type: 'pkcs8' }).toString();
  expect(keyProblems(privatePem)).toEqual([
    'PEM block 1 (PRIVATE KEY): a private key; give its public key (openssl pkey -pubout)',
  ]);
  expect(keyProblems('{ "keys": [')[0]).toMatch(/^not valid JSON/);
  expect(keyProblems('{ "issuer": "x" }')).toEqual(['expected a JWKS ({ "keys": [...] }) or a JWK ({ "kty": ... })']);
  expect(keyProblems('hello')).toEqual(['expected a JWKS or JWK (JSON), or PEM public keys or certificates']);
});

test('RS256, ES256 and HS256 tokens verify, giving the subject and the namespaces', () => {
  for (const key of [rsa, ec, hmac]) {
    expect(verifyJwt(signJwt(key, claims()), rules())).toEqual({
      ok: true,
      subject: 'alice@example.com',
      namespaces: new Set(['default']),
    });
  }
  // PEM keys have no kid: a token's kid does not matter to them.
  const pemRules = rules({ keys: parseJwtKeys(rsa.publicPem ?? '') });
  expect(verifyJwt(signJwt(rsa, claims()), pemRules).ok).toBe(true);
});

test('unknown keys, a wrong kid, tampering, alg none and other algorithms are refused', () => {
  const refusal = (token: string, r = rules()) => {
    const v = verifyJwt(token, r);
    return v.ok ? 'accepted' : v.reason;
  };
  expect(refusal(signJwt(stranger, claims()))).toBe('JWT not signed by a known key');
  expect(refusal(signJwt(rsa, claims(), { kid: 'nobody' }))).toBe('JWT not signed by a known key');
  const [header, , signature] = signJwt(rsa, claims()).split('.');
  const widened = Buffer.from(JSON.stringify(claims({ namespaces: ['*'] }))).toString('base64url');
  expect(refusal(`${header}.${widened}.${signature}`)).toBe('JWT not signed by a known key');
  // The HMAC key's secret is not a way to forge an RS256 token (no algorithm confusion).
  expect(refusal(signJwt({ ...hmac, kid: 'rsa-1' }, claims(), { alg: 'RS256' }))).toBe('JWT not signed by a known key');
  const unsigned = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${widened}.AAAA`;
  expect(refusal(unsigned)).toBe('JWT algorithm "none" is not accepted (RS256, ES256, HS256)');
  expect(refusal(signJwt(rsa, claims(), { alg: 'RS512' }))).toBe(
    'JWT algorithm "RS512" is not accepted (RS256, ES256, HS256)',
  );
  expect(refusal(signJwt(rsa, claims(), { crit: ['exp'] }))).toBe('JWT has critical header parameters (crit)');
  expect(refusal('not.a.jwt!')).toBe('malformed JWT');
  expect(refusal(signJwt(rsa, claims()), rules({ keys: parseJwtKeys(jwks(ec)) }))).toBe(
    'JWT not signed by a known key',
  );
});

test('exp is required and checked, nbf too, each with a small clock skew', () => {
  const refusal = (c: Record<string, unknown>) => {
    const v = verifyJwt(signJwt(ec, claims(c)), rules());
    return v.ok ? 'accepted' : v.reason;
  };
  expect(refusal({ exp: undefined })).toBe('JWT has no exp');
  expect(refusal({ exp: epoch(-CLOCK_SKEW_SECONDS - 5) })).toBe('JWT expired');
  expect(refusal({ exp: epoch(-CLOCK_SKEW_SECONDS + 5) })).toBe('accepted');
  expect(refusal({ nbf: epoch(CLOCK_SKEW_SECONDS + 5) })).toBe('JWT not valid yet (nbf)');
  expect(refusal({ nbf: epoch(CLOCK_SKEW_SECONDS - 5) })).toBe('accepted');
  expect(refusal({ exp: String(epoch(300)) })).toBe('JWT has no exp');
});

test('iss and aud are checked when configured', () => {
  const strict = rules({ issuer: 'https://idp.example.com/', audiences: ['temporal-ui', 'codec'] });
  const verdict = (c: Record<string, unknown>) => {
    const v = verifyJwt(signJwt(rsa, claims(c)), strict);
    return v.ok ? 'accepted' : v.reason;
  };
  expect(verdict({ iss: 'https://idp.example.com/', aud: 'codec' })).toBe('accepted');
  expect(verdict({ iss: 'https://idp.example.com/', aud: ['other', 'temporal-ui'] })).toBe('accepted');
  expect(verdict({ iss: 'https://evil.example.com/', aud: 'codec' })).toBe('JWT from another issuer');
  expect(verdict({ aud: 'codec' })).toBe('JWT from another issuer');
  expect(verdict({ iss: 'https://idp.example.com/', aud: ['other'] })).toBe('JWT for another audience');
  expect(verdict({ iss: 'https://idp.example.com/' })).toBe('JWT for another audience');
});

test('the namespaces claim: an array, a string of names, Temporal permissions (ns:role), another claim name', () => {
  const namespaces = (c: Record<string, unknown>, r = rules()) => {
    const v = verifyJwt(signJwt(hmac, claims(c)), r);
    return v.ok ? [...v.namespaces] : v.reason;
  };
  expect(namespaces({ namespaces: ['default', 'payroll'] })).toEqual(['default', 'payroll']);
  expect(namespaces({ namespaces: 'default payroll,billing' })).toEqual(['default', 'payroll', 'billing']);
  expect(namespaces({ namespaces: '*' })).toEqual(['*']);
  expect(namespaces({ namespaces: undefined })).toEqual([]);
  expect(namespaces({ namespaces: [1, null, 'default'] })).toEqual(['default']);
  expect(
    namespaces({ permissions: ['default:read', 'payroll:admin'] }, rules({ namespacesClaim: 'permissions' })),
  ).toEqual(['default', 'payroll']);
  const sub = verifyJwt(signJwt(hmac, claims({ sub: undefined })), rules());
  expect(sub.ok && sub.subject).toBe('(no sub)');
});
