/**
 * Who may use the codec endpoint, decided from the Authorization and X-Namespace headers alone: 401 with a
 * WWW-Authenticate challenge for no, a malformed, an unknown or an invalid credential; 403 for a valid one for
 * another namespace; the credential named by token id or JWT subject.
 */
import { parseCodecTokens } from '../../../src/platform/codec/codec-tokens';
import type { CodecAuth } from '../../../src/platform/codec/credentials';
import { checkAccess, describeCodecAuth, missingCredentials } from '../../../src/platform/codec/credentials';
import { parseJwtKeys } from '../../../src/platform/codec/jwt-keys';
import { epoch, makeSigningKey, signJwt } from '../../helpers/jwt';

const OPS = 'ops-token-0123456789abcdefghijklmnopqrstuv';
const UI = 'ui-token-0123456789abcdefghijklmnopqrstuvw';
const key = makeSigningKey('ES256', 'k1');
const auth: CodecAuth = {
  kind: 'credentials',
  tokens: parseCodecTokens(`ops ${OPS} *\nui ${UI} default`),
  jwt: { keys: parseJwtKeys(JSON.stringify({ keys: [key.jwk] })), audiences: [], namespacesClaim: 'namespaces' },
};
const jwt = (namespaces: unknown, exp = epoch(60)) => signJwt(key, { sub: 'alice', exp, namespaces });

test('a known token or a valid JWT for the namespace passes, named by id or subject', () => {
  expect(checkAccess(auth, `Bearer ${OPS}`, 'anything', 'decode')).toEqual({ ok: true, credential: 'token:ops' });
  expect(checkAccess(auth, `bearer ${UI}`, 'default', 'encode')).toEqual({ ok: true, credential: 'token:ui' });
  expect(checkAccess(auth, `Bearer ${jwt(['default'])}`, 'default', 'decode')).toEqual({
    ok: true,
    credential: 'jwt:alice',
  });
  expect(checkAccess(auth, `Bearer ${OPS}`, undefined, 'decode').ok).toBe(true);
});

test('no, malformed, unknown, expired or foreign credentials are 401 with a Bearer challenge', () => {
  const cases: [string | undefined, string, string][] = [
    [undefined, 'credentials required: Authorization: Bearer <token>', 'Bearer realm="pipewright codec"'],
    ['Basic b3BzOnNlY3JldA==', 'malformed Authorization header: expected Bearer <token>', 'invalid_request'],
    ['Bearer two words', 'malformed Authorization header: expected Bearer <token>', 'invalid_request'],
    [`Bearer ${OPS.slice(0, -1)}`, 'unknown token', 'invalid_token'],
    [`Bearer ${jwt(['default'], epoch(-3600))}`, 'JWT expired', 'invalid_token'],
    [
      `Bearer ${signJwt(makeSigningKey('ES256', 'k1'), { exp: epoch(60) })}`,
      'JWT not signed by a known key',
      'invalid_token',
    ],
  ];
  for (const [header, error, challenge] of cases) {
    const access = checkAccess(auth, header, 'default', 'decode');
    expect(access).toMatchObject({ ok: false, status: 401, error, credential: '-' });
    expect(!access.ok && access.wwwAuthenticate).toContain(challenge);
    expect(!access.ok && access.wwwAuthenticate).toMatch(/^Bearer realm="pipewright codec"/);
  }
  // Without JWT keys, a JWT is just an unknown token.
  const tokensOnly: CodecAuth = { kind: 'credentials', tokens: auth.kind === 'credentials' ? auth.tokens : undefined };
  expect(checkAccess(tokensOnly, `Bearer ${jwt(['*'])}`, 'default', 'decode')).toMatchObject({
    status: 401,
    error: 'unknown token',
  });
});

test('a valid credential for another namespace, or for some when the request names none, is 403', () => {
  expect(checkAccess(auth, `Bearer ${UI}`, 'payroll', 'decode')).toEqual({
    ok: false,
    status: 403,
    error: 'token:ui may not decode payloads of namespace "payroll"',
    credential: 'token:ui',
    wwwAuthenticate: undefined,
  });
  expect(checkAccess(auth, `Bearer ${jwt(['default'])}`, 'payroll', 'encode')).toMatchObject({
    status: 403,
    error: 'jwt:alice may not encode payloads of namespace "payroll"',
  });
  expect(checkAccess(auth, `Bearer ${jwt(undefined)}`, 'default', 'decode')).toMatchObject({ status: 403 });
  expect(checkAccess(auth, `Bearer ${UI}`, undefined, 'decode')).toMatchObject({
    status: 403,
    error: 'token:ui is limited to some namespaces and the request names none (X-Namespace header)',
  });
});

test('none lets anyone in; credentials with nothing to check say what to set', () => {
  expect(checkAccess({ kind: 'none' }, undefined, undefined, 'decode')).toEqual({ ok: true, credential: 'none' });
  expect(missingCredentials({ kind: 'none' })).toBeUndefined();
  expect(missingCredentials(auth)).toBeUndefined();
  expect(missingCredentials({ kind: 'credentials' })).toMatch(
    /set PIPEWRIGHT_CODEC_TOKENS_FILE .* and\/or PIPEWRIGHT_CODEC_JWT_KEYS_FILE .*, or PIPEWRIGHT_CODEC_AUTH=none/,
  );
  expect(describeCodecAuth(auth)).toBe('credentials: tokens ops, ui; JWTs (ES256 kid k1; claim namespaces)');
  expect(describeCodecAuth({ kind: 'none' })).toMatch(/^NO credentials asked/);
});
