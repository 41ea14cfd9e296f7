/**
 * Settings of the codec endpoint's credentials and TLS: read and checked at start, each bad one a line naming the
 * setting and what to do; an endpoint with no credentials to check does not start unless told so; secrets never
 * print.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { inspect } from 'node:util';
import { isKnownSetting, loadConfig } from '../../../src/platform/config/config';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import { makeSigningKey } from '../../helpers/jwt';
import { configProblems } from '../../helpers/problems';

const TOKEN = `tok-${randomBytes(24).toString('base64url')}`;
const KEYS = `k1:${randomBytes(32).toString('base64')}`;
let dir: string;
let pki: TestPki;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-codec-auth-'));
  pki = createTestPki();
});
afterAll(() => {
  fs.rmSync(dir, { recursive: true, force: true });
  pki.remove();
});

const file = (name: string, content: string): string => {
  const p = path.join(dir, name);
  fs.writeFileSync(p, content);
  return p;
};

const problems = (env: NodeJS.ProcessEnv) => configProblems(env, /PIPEWRIGHT_CODEC_[A-Z_]+/);

test('every codec endpoint setting is known', () => {
  for (const name of [
    'PIPEWRIGHT_CODEC_AUTH',
    'PIPEWRIGHT_CODEC_TOKENS_FILE',
    'PIPEWRIGHT_CODEC_JWT_KEYS_FILE',
    'PIPEWRIGHT_CODEC_JWT_ISSUER',
    'PIPEWRIGHT_CODEC_JWT_AUDIENCE',
    'PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM',
    'PIPEWRIGHT_CODEC_TLS_CERT',
    'PIPEWRIGHT_CODEC_TLS_KEY',
  ])
    expect([name, isKnownSetting(name)]).toEqual([name, true]);
});

test('tokens and JWT settings load; the configuration never prints a token or a key', () => {
  const hmac = makeSigningKey('HS256', 'hs');
  const config = loadConfig({
    PIPEWRIGHT_CODEC_KEYS: KEYS,
    PIPEWRIGHT_CODEC_PORT: '0',
    PIPEWRIGHT_CODEC_TOKENS_FILE: file('tokens', `ops ${TOKEN} default,payroll\n`),
    PIPEWRIGHT_CODEC_JWT_KEYS_FILE: file('jwks.json', JSON.stringify({ keys: [hmac.jwk] })),
    PIPEWRIGHT_CODEC_JWT_ISSUER: 'https://idp.example.com/',
    PIPEWRIGHT_CODEC_JWT_AUDIENCE: 'temporal-ui, codec',
    PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM: 'permissions',
  });
  const { auth } = config.codecServer;
  expect(auth.kind).toBe('credentials');
  if (auth.kind !== 'credentials') return;
  expect(auth.tokens?.ids).toEqual(['ops']);
  expect(auth.tokens?.match(TOKEN)?.namespaces).toEqual(new Set(['default', 'payroll']));
  expect(auth.jwt).toMatchObject({
    issuer: 'https://idp.example.com/',
    audiences: ['temporal-ui', 'codec'],
    namespacesClaim: 'permissions',
  });
  expect(auth.jwt?.keys.describe()).toBe('HS256 kid hs');
  const printed = `${inspect(config, { depth: 10 })} ${JSON.stringify(config)}`;
  expect(printed).not.toContain(TOKEN);
  expect(printed).not.toContain(String(hmac.jwk.k));
  expect(loadConfig({}).codecServer.auth).toEqual({ kind: 'credentials', tokens: undefined, jwt: undefined });
  expect(loadConfig({ PIPEWRIGHT_CODEC_AUTH: 'none' }).codecServer.auth).toEqual({ kind: 'none' });
});

test('an endpoint with keys and no credentials does not start; none is an explicit choice', () => {
  expect(problems({ PIPEWRIGHT_CODEC_KEYS: KEYS, PIPEWRIGHT_CODEC_PORT: '8888' })).toEqual([
    'PIPEWRIGHT_CODEC_PORT: the codec endpoint decrypts for whoever calls it and has no credentials to check: set ' +
      'PIPEWRIGHT_CODEC_TOKENS_FILE (lines "<id> <token> <namespace>[,...]") and/or PIPEWRIGHT_CODEC_JWT_KEYS_FILE ' +
      '(a JWKS or PEM public keys), or PIPEWRIGHT_CODEC_AUTH=none to let anyone who reaches it decrypt (local development only)',
  ]);
  expect(
    loadConfig({ PIPEWRIGHT_CODEC_KEYS: KEYS, PIPEWRIGHT_CODEC_PORT: '8888', PIPEWRIGHT_CODEC_AUTH: 'none' })
      .codecServer.port,
  ).toBe(8888);
});

test('unreadable files, bad lines and bad keys: one line each, naming the setting, the file and the place', () => {
  const tokens = file('bad-tokens', `ops ${TOKEN}\n`);
  const jwks = file('bad-jwks.json', '{"keys":[{"kty":"oct","k":"c2hvcnQ","kid":"short"}]}');
  expect(
    problems({
      PIPEWRIGHT_CODEC_TOKENS_FILE: tokens,
      PIPEWRIGHT_CODEC_JWT_KEYS_FILE: jwks,
      PIPEWRIGHT_CODEC_KEYS: KEYS,
      PIPEWRIGHT_CODEC_PORT: '8888',
    }),
  ).toEqual([
    `PIPEWRIGHT_CODEC_TOKENS_FILE: ${tokens} line 1: expected "<id> <token> <namespace>[,<namespace>...]"`,
    `PIPEWRIGHT_CODEC_JWT_KEYS_FILE: ${jwks} key 1 (kid "short"): an HS256 secret of 5 bytes; give 32 or more`,
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_TOKENS_FILE: '/nonexistent/tokens' })).toEqual([
    'PIPEWRIGHT_CODEC_TOKENS_FILE: cannot read /nonexistent/tokens (ENOENT)',
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_JWT_KEYS_FILE: dir })).toEqual([
    `PIPEWRIGHT_CODEC_JWT_KEYS_FILE: cannot read ${dir} (EISDIR)`,
  ]);
});

test('contradictions and settings that do nothing are refused', () => {
  const tokens = file('tokens-2', `ops ${TOKEN} *\n`);
  expect(problems({ PIPEWRIGHT_CODEC_AUTH: 'none', PIPEWRIGHT_CODEC_TOKENS_FILE: tokens })).toEqual([
    'PIPEWRIGHT_CODEC_AUTH: none, but PIPEWRIGHT_CODEC_TOKENS_FILE set: unset one or the other',
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_AUTH: 'off' })[0]).toMatch(/^PIPEWRIGHT_CODEC_AUTH: .*'credentials' \| 'none'/);
  expect(problems({ PIPEWRIGHT_CODEC_JWT_ISSUER: 'x', PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM: 'groups' })).toEqual([
    'PIPEWRIGHT_CODEC_JWT_ISSUER: set, but PIPEWRIGHT_CODEC_JWT_KEYS_FILE names no JWT keys',
    'PIPEWRIGHT_CODEC_JWT_NAMESPACES_CLAIM: set, but PIPEWRIGHT_CODEC_JWT_KEYS_FILE names no JWT keys',
  ]);
});

test('TLS for the endpoint: certificate and key together, checked at start', () => {
  const config = loadConfig({ PIPEWRIGHT_CODEC_TLS_CERT: pki.serverCert, PIPEWRIGHT_CODEC_TLS_KEY: pki.serverKey });
  expect(config.codecServer.tls?.cert).toEqual(fs.readFileSync(pki.serverCert));
  expect(inspect(config.codecServer, { depth: 5 })).toContain('tls');
  expect(problems({ PIPEWRIGHT_CODEC_TLS_CERT: pki.serverCert })).toEqual([
    'PIPEWRIGHT_CODEC_TLS_KEY: missing; the certificate in PIPEWRIGHT_CODEC_TLS_CERT needs its private key',
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_TLS_CERT: pki.serverCert, PIPEWRIGHT_CODEC_TLS_KEY: pki.clientKey })).toEqual([
    `PIPEWRIGHT_CODEC_TLS_KEY: ${pki.clientKey} is not the private key of the certificate in PIPEWRIGHT_CODEC_TLS_CERT`,
  ]);
});
