/**
 * Nobody decrypts without credentials: `pipewright codec-server` over HTTPS with a tokens file and JWT keys, called
 * over real HTTP. No token, a wrong one, one for another namespace, an expired JWT and one signed by an unknown key
 * are refused (401 with a Bearer challenge, or 403) with a short error and no payload data; a right token and a
 * valid JWT decode. Each request is logged without its contents. Without credentials the endpoint does not start,
 * unless told to run without (`--auth none`).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { createEncryptionCodec } from '../../../src/platform/codec/encryption-codec';
import { parseKeyRing } from '../../../src/platform/codec/key-ring';
import type { PayloadJson } from '../../../src/platform/codec/payload-json';
import { toPayloadJson } from '../../../src/platform/codec/payload-json';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import type { RunningCli } from '../../helpers/cli-process';
import { runPipewright, startPipewright } from '../../helpers/cli-process';
import type { HttpAnswer } from '../../helpers/http-request';
import { httpRequest } from '../../helpers/http-request';
import { epoch, makeSigningKey, signJwt } from '../../helpers/jwt';
import { freePort } from '../../helpers/worker-process';

const KEYS = `k1:${randomBytes(32).toString('base64')}`;
const OPS = `ops-${randomBytes(24).toString('base64url')}`;
const UI = `ui-${randomBytes(24).toString('base64url')}`;
const SECRET = `salary-of-${randomBytes(6).toString('hex')}`;
const ISSUER = 'https://idp.example.test/';
const UI_ORIGIN = 'http://localhost:8233';
const rsa = makeSigningKey('RS256', 'rsa-1');
const ec = makeSigningKey('ES256', 'ec-1');
const unknown = makeSigningKey('RS256', 'rsa-1');
const jwt = (key = rsa, claims: Record<string, unknown> = {}) =>
  signJwt(key, { iss: ISSUER, sub: 'alice@example.com', exp: epoch(300), namespaces: ['default'], ...claims });

let pki: TestPki;
let server: RunningCli;
let endpoint: string;
let ciphertext: PayloadJson;

beforeAll(async () => {
  pki = createTestPki();
  const tokensFile = path.join(pki.dir, 'codec-tokens');
  fs.writeFileSync(tokensFile, `# id  token  namespaces\nops ${OPS} *\nui ${UI} default\n`);
  const jwksFile = path.join(pki.dir, 'jwks.json');
  fs.writeFileSync(jwksFile, JSON.stringify({ keys: [rsa.jwk, ec.jwk] }));
  const [encrypted] = await createEncryptionCodec(parseKeyRing(KEYS)).encode([
    { metadata: { encoding: Buffer.from('json/plain') }, data: Buffer.from(JSON.stringify(SECRET)) },
  ]);
  ciphertext = toPayloadJson(encrypted ?? {});
  const port = await freePort();
  server = startPipewright(
    [
      'codec-server',
      '--port',
      String(port),
      '--tokens-file',
      tokensFile,
      '--jwt-keys-file',
      jwksFile,
      '--tls-cert',
      pki.serverCert,
      '--tls-key',
      pki.serverKey,
    ],
    { PIPEWRIGHT_CODEC_KEYS: KEYS, PIPEWRIGHT_CODEC_JWT_ISSUER: ISSUER },
  );
  const [, url] = (await server.waitFor(/codec endpoint on (\S+) /)) as RegExpMatchArray;
  endpoint = url as string;
}, 60_000);
afterAll(async () => {
  expect(await server?.stop()).toBe(0);
  pki?.remove();
});

function call(action: 'decode' | 'encode', headers: Record<string, string>, payloads = [ciphertext]) {
  return httpRequest(`${endpoint}/${action}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify({ payloads }),
    ca: fs.readFileSync(pki.caCert),
  });
}
const bearer = (token: string, namespace = 'default') => ({
  authorization: `Bearer ${token}`,
  'x-namespace': namespace,
});
const decodedText = (answer: HttpAnswer): string => {
  const [p] = (JSON.parse(answer.text) as { payloads: PayloadJson[] }).payloads;
  return Buffer.from(p?.data ?? '', 'base64').toString('utf8');
};

test('the endpoint serves HTTPS and names the credentials it accepts, never the tokens', () => {
  expect(endpoint).toMatch(/^https:\/\/127\.0\.0\.1:\d+\/codec$/);
  expect(server.output()).toContain(
    'credentials: tokens ops, ui; JWTs (RS256 kid rsa-1, ES256 kid ec-1; claim namespaces; issuer https://idp.example.test/)',
  );
});

test('no token, a wrong one, one for another namespace, an expired JWT, an unknown key: refused, with no payload data', async () => {
  const cases: [Record<string, string>, number, string][] = [
    [{ 'x-namespace': 'default' }, 401, 'credentials required: Authorization: Bearer <token>'],
    [bearer(`${OPS}x`), 401, 'unknown token'],
    [
      { authorization: `Basic ${Buffer.from(`ops:${OPS}`).toString('base64')}`, 'x-namespace': 'default' },
      401,
      'malformed Authorization header: expected Bearer <token>',
    ],
    [bearer(UI, 'payroll'), 403, 'token:ui may not decode payloads of namespace "payroll"'],
    [bearer(jwt(rsa, { exp: epoch(-600) })), 401, 'JWT expired'],
    [bearer(jwt(unknown)), 401, 'JWT not signed by a known key'],
    [bearer(jwt(rsa, { iss: 'https://elsewhere.test/' })), 401, 'JWT from another issuer'],
    [bearer(jwt(ec), 'payroll'), 403, 'jwt:alice@example.com may not decode payloads of namespace "payroll"'],
  ];
  for (const [headers, status, error] of cases) {
    const answer = await call('decode', headers);
    expect([error, answer.status]).toEqual([error, status]);
    expect(JSON.parse(answer.text)).toEqual({ error });
    expect(answer.headers['content-type']).toBe('application/json');
    if (status === 401) expect(answer.headers['www-authenticate']).toMatch(/^Bearer realm="pipewright codec"/);
    else expect(answer.headers['www-authenticate']).toBeUndefined();
    for (const data of [SECRET, ciphertext.data ?? '', '"payloads"']) expect(answer.text).not.toContain(data);
  }
  // Encoding needs credentials too: whoever may encode can forge inputs that workers decrypt.
  const encode = await call('encode', { 'x-namespace': 'default' }, [{ metadata: {}, data: '' }]);
  expect(encode.status).toBe(401);
});

test('a right token and a valid JWT decode; a token for * decodes any namespace', async () => {
  for (const headers of [
    bearer(UI),
    bearer(OPS, 'payroll'),
    bearer(jwt(rsa)),
    bearer(jwt(ec, { namespaces: '*' }), 'billing'),
  ]) {
    const answer = await call('decode', headers);
    expect(answer.status).toBe(200);
    expect(decodedText(answer)).toBe(JSON.stringify(SECRET));
  }
  const encoded = await call('encode', bearer(UI), [
    {
      metadata: { encoding: Buffer.from('json/plain').toString('base64') },
      data: Buffer.from('"x"').toString('base64'),
    },
  ]);
  expect(encoded.status).toBe(200);
  const back = await call('decode', bearer(UI), (JSON.parse(encoded.text) as { payloads: PayloadJson[] }).payloads);
  expect(decodedText(back)).toBe('"x"');
});

test('a browser preflight needs no credentials and may send Authorization; refusals carry CORS headers', async () => {
  const ca = fs.readFileSync(pki.caCert);
  const preflight = await httpRequest(`${endpoint}/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: UI_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'authorization,content-type,x-namespace',
    },
    ca,
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  expect(preflight.headers['access-control-allow-headers']).toContain('authorization');
  // A browser reads a refusal only when it carries CORS headers.
  const refused = await call('decode', { origin: UI_ORIGIN, 'x-namespace': 'default' });
  expect(refused.status).toBe(401);
  expect(refused.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
  expect(refused.headers['access-control-expose-headers']).toBe('WWW-Authenticate');
  const health = await httpRequest(`${endpoint.replace(/\/codec$/, '')}/healthz`, { ca });
  expect([health.status, health.text]).toEqual([200, '{"status":"ok"}']);
});

test('each request is logged with namespace, credential, payload count and outcome, never its contents', async () => {
  await call('decode', bearer(UI, 'payroll'));
  await call('decode', bearer(jwt(rsa)));
  await server.waitFor(/credential=jwt:alice@example.com payloads=1 -> 200/);
  const log = server.output();
  expect(log).toContain(
    'codec POST /codec/decode namespace=payroll credential=token:ui payloads=- -> 403 token:ui may not decode payloads of namespace "payroll"',
  );
  expect(log).toContain('codec POST /codec/decode namespace=default credential=- payloads=- -> 401 JWT expired');
  expect(log).toContain('codec POST /codec/decode namespace=default credential=token:ui payloads=1 -> 200');
  for (const secret of [SECRET, OPS, UI, ciphertext.data ?? '', jwt(rsa).split('.')[1] ?? ''])
    expect(log).not.toContain(secret);
});

test('without credentials the endpoint does not start; --auth none runs it open, and says so', async () => {
  const refused = await runPipewright(['codec-server', '--port', String(await freePort())], {
    PIPEWRIGHT_CODEC_KEYS: KEYS,
  });
  expect(refused.code).toBe(2);
  expect(refused.stderr).toMatch(
    /the codec endpoint decrypts for whoever calls it and has no credentials to check: set PIPEWRIGHT_CODEC_TOKENS_FILE .* or PIPEWRIGHT_CODEC_AUTH=none/,
  );
  const open = startPipewright(['codec-server', '--port', String(await freePort()), '--auth', 'none'], {
    PIPEWRIGHT_CODEC_KEYS: KEYS,
  });
  try {
    const [, url] = (await open.waitFor(/codec endpoint on (\S+) .*NO credentials asked/)) as RegExpMatchArray;
    const answer = await httpRequest(`${url as string}/decode`, {
      method: 'POST',
      body: JSON.stringify({ payloads: [ciphertext] }),
    });
    expect(answer.status).toBe(200);
    expect(decodedText(answer)).toBe(JSON.stringify(SECRET));
  } finally {
    expect(await open.stop()).toBe(0);
  }
});
