/**
 * Settings of secure connections, encryption and deployment: each bad one is one line naming the setting;
 * secrets come from the environment or `_FILE` files and never print.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import { isKnownSetting, loadConfig } from '../../../src/platform/config/config';
import { temporalConnectionOptions } from '../../../src/platform/config/temporal-connection';
import { pgSslOptions } from '../../../src/platform/security/pg-ssl';
import { redisTlsOptions } from '../../../src/platform/security/redis-tls';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import { configProblems } from '../../helpers/problems';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.remove());

const file = (name: string, content: string): string => {
  const p = path.join(pki.dir, name);
  fs.writeFileSync(p, content);
  return p;
};
const key32 = (): string => randomBytes(32).toString('base64');

const problems = (env: NodeJS.ProcessEnv) => configProblems(env);

test('a missing certificate file, a certificate without its key, and the reverse: one line each, naming the setting', () => {
  expect(problems({ TEMPORAL_TLS_CERT: '/nonexistent/client.pem', TEMPORAL_TLS_KEY: pki.clientKey })).toEqual([
    'TEMPORAL_TLS_CERT: cannot read /nonexistent/client.pem (ENOENT)',
  ]);
  expect(problems({ TEMPORAL_TLS_CERT: pki.clientCert })).toEqual([
    'TEMPORAL_TLS_KEY: missing; a client certificate (TEMPORAL_TLS_CERT) needs its private key',
  ]);
  expect(problems({ TEMPORAL_TLS_KEY: pki.clientKey })).toEqual([
    'TEMPORAL_TLS_CERT: missing; a private key (TEMPORAL_TLS_KEY) needs its client certificate',
  ]);
  expect(problems({ TEMPORAL_TLS_CA: pki.dir })).toEqual([`TEMPORAL_TLS_CA: cannot read ${pki.dir} (EISDIR)`]);
});

test('a malformed certificate or key, and a key of another certificate, are refused at start', () => {
  const garbage = file('garbage.pem', 'not a certificate\n');
  const broken = file('broken.pem', '-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n');
  expect(problems({ TEMPORAL_TLS_CA: garbage })).toEqual([
    `TEMPORAL_TLS_CA: ${garbage} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
  ]);
  expect(problems({ TEMPORAL_TLS_CA: broken })[0]).toMatch(/^TEMPORAL_TLS_CA: .* holds a malformed certificate/);
  expect(problems({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: garbage })[0]).toMatch(
    /^TEMPORAL_TLS_KEY: .* is not an unencrypted PEM private key/,
  );
  expect(problems({ TEMPORAL_TLS_CERT: pki.clientCert, TEMPORAL_TLS_KEY: pki.serverKey })).toEqual([
    `TEMPORAL_TLS_KEY: ${pki.serverKey} is not the private key of the certificate in TEMPORAL_TLS_CERT`,
  ]);
});

test('valid mTLS files give connection options with the certificates; an API key implies TLS and never prints', () => {
  const config = loadConfig({
    TEMPORAL_TLS_CA: pki.caCert,
    TEMPORAL_TLS_CERT: pki.clientCert,
    TEMPORAL_TLS_KEY: pki.clientKey,
    TEMPORAL_TLS_SERVER_NAME: 'temporal.internal',
  });
  const options = temporalConnectionOptions(config.temporal);
  expect(options.tls).toEqual({
    serverNameOverride: 'temporal.internal',
    serverRootCACertificate: fs.readFileSync(pki.caCert),
    clientCertPair: { crt: fs.readFileSync(pki.clientCert), key: fs.readFileSync(pki.clientKey) },
  });
  const apiKey = `pw-api-${randomBytes(8).toString('hex')}`;
  const withKey = loadConfig({ TEMPORAL_API_KEY: apiKey });
  expect(withKey.temporal.tls).toBeDefined();
  expect(temporalConnectionOptions(withKey.temporal)).toMatchObject({ apiKey, tls: {} });
  expect(inspect(withKey, { depth: 10 })).not.toContain(apiKey);
  expect(JSON.stringify(withKey)).not.toContain(apiKey);
});

test('codec keys: a bad length or encoding names PIPEWRIGHT_CODEC_KEYS and the key id, never the key', () => {
  const short = randomBytes(24).toString('base64');
  const lines = problems({ PIPEWRIGHT_CODEC_KEYS: `current:${short},old:%%%` });
  expect(lines).toEqual([
    'PIPEWRIGHT_CODEC_KEYS: key "current": 24 bytes; AES-256-GCM needs 32 (openssl rand -base64 32)',
    'PIPEWRIGHT_CODEC_KEYS: key "old": not valid base64 (generate one with: openssl rand -base64 32)',
  ]);
  expect(lines.join('\n')).not.toContain(short);
  expect(problems({ PIPEWRIGHT_CODEC_KEY_ID: 'k1' })).toEqual([
    'PIPEWRIGHT_CODEC_KEY_ID: set, but PIPEWRIGHT_CODEC_KEYS holds no keys',
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_PORT: '8888' })).toEqual([
    'PIPEWRIGHT_CODEC_PORT: the codec endpoint needs the keys in PIPEWRIGHT_CODEC_KEYS',
  ]);
  const ring = loadConfig({ PIPEWRIGHT_CODEC_KEYS: `new:${key32()},old:${key32()}` }).codecKeys;
  expect(ring?.currentKeyId).toBe('new');
  expect(ring?.ids).toEqual(['new', 'old']);
  expect(loadConfig({ PIPEWRIGHT_CODEC_KEYS: '' }).codecKeys).toBeUndefined();
});

test('a bad database URL names the setting without repeating the URL (it may hold a password)', () => {
  expect(problems({ DATABASE_URL: 'postgres://app:pa#ss@db:5432/etl' })).toEqual([
    'DATABASE_URL: not a valid URL (percent-encode special characters in the user name and password)',
  ]);
  expect(problems({ DATABASE_URL: 'mysql://db/etl' })).toEqual([
    'DATABASE_URL: expected a postgres:// or postgresql:// connection URL',
  ]);
  expect(problems({ DATABASE_URL_REPORTING: 'postgres://db:99999/x' })).toEqual([
    'DATABASE_URL_REPORTING: not a valid URL (percent-encode special characters in the user name and password)',
  ]);
  expect(problems({ DATABASE_URL: 'postgres://db/etl?sslmode=verify-full&sslrootcert=/nonexistent/ca.pem' })).toEqual([
    'DATABASE_URL: sslrootcert file /nonexistent/ca.pem cannot be read (ENOENT)',
  ]);
  expect(problems({ DATABASE_URL: 'postgres://db/etl?sslmode=always' })[0]).toMatch(
    /^DATABASE_URL: sslmode "always" is not one of disable/,
  );
});

test('secrets come from _FILE variants; both ways at once, or an unreadable file, is one line', () => {
  const apiKey = `from-file-${randomBytes(6).toString('hex')}`;
  const keys = `k1:${key32()}`;
  const config = loadConfig({
    TEMPORAL_API_KEY_FILE: file('api-key', `${apiKey}\n`),
    PIPEWRIGHT_CODEC_KEYS_FILE: file('codec-keys', `${keys}\n`),
    DATABASE_URL_FILE: file('db-url', 'postgres://app:s3cret@db:5432/etl\n'),
    DATABASE_URL_REPORTING_FILE: file('db-url-reporting', 'postgres://ro:s3cret@replica/etl'),
  });
  expect(config.temporal.apiKey?.reveal()).toBe(apiKey);
  expect(config.codecKeys?.ids).toEqual(['k1']);
  expect(config.db.url).toBe('postgres://app:s3cret@db:5432/etl');
  expect(config.db.connections).toEqual({ reporting: 'postgres://ro:s3cret@replica/etl' });
  expect(problems({ TEMPORAL_API_KEY: 'x', TEMPORAL_API_KEY_FILE: file('k2', 'y') })).toEqual([
    'TEMPORAL_API_KEY_FILE: set TEMPORAL_API_KEY or TEMPORAL_API_KEY_FILE, not both',
  ]);
  expect(problems({ PIPEWRIGHT_CODEC_KEYS_FILE: '/nonexistent/keys' })).toEqual([
    'PIPEWRIGHT_CODEC_KEYS_FILE: cannot read /nonexistent/keys (ENOENT)',
  ]);
});

test('Postgres TLS from PGSSL* settings; Redis TLS options for ioredis', () => {
  const pg = loadConfig({
    PGSSLMODE: 'verify-full',
    PGSSLROOTCERT: pki.caCert,
    PGSSLCERT: pki.clientCert,
    PGSSLKEY: pki.clientKey,
  });
  expect(pgSslOptions(pg.pgSsl)).toEqual({
    ca: fs.readFileSync(pki.caCert),
    cert: fs.readFileSync(pki.clientCert),
    key: fs.readFileSync(pki.clientKey),
    rejectUnauthorized: true,
  });
  expect(pgSslOptions(loadConfig({ PGSSLMODE: 'require' }).pgSsl)).toMatchObject({ rejectUnauthorized: false });
  expect(pgSslOptions(loadConfig({ PGSSLMODE: 'disable' }).pgSsl)).toBe(false);
  expect(pgSslOptions(loadConfig({}).pgSsl)).toBeUndefined();
  expect(problems({ PGSSLMODE: 'prefer' })[0]).toMatch(/^PGSSLMODE: /);
  expect(problems({ PGSSLROOTCERT: pki.caCert })).toEqual([
    'PGSSLMODE: unset, but PGSSLROOTCERT, PGSSLCERT or PGSSLKEY is set; say which mode to use',
  ]);
  expect(problems({ PGSSLMODE: 'verify-ca', PGSSLCERT: pki.clientCert })).toEqual([
    'PGSSLKEY: missing; a client certificate (PGSSLCERT) needs its private key',
  ]);

  const redis = loadConfig({ REDIS_TLS_CA: pki.caCert, REDIS_TLS_SERVER_NAME: 'redis.internal' });
  expect(redisTlsOptions(redis.redisTls)).toEqual({
    ca: fs.readFileSync(pki.caCert),
    cert: undefined,
    key: undefined,
    servername: 'redis.internal',
  });
  expect(redisTlsOptions(loadConfig({ REDIS_TLS: 'true' }).redisTls)).toEqual({});
  expect(loadConfig({}).redisTls).toBeUndefined();
  expect(problems({ REDIS_TLS_CERT: '/nonexistent/c.pem', REDIS_TLS_KEY: pki.clientKey })).toEqual([
    'REDIS_TLS_CERT: cannot read /nonexistent/c.pem (ENOENT)',
  ]);
});

test('Worker Versioning needs both the deployment name and the build id; a missing bundle file is refused', () => {
  expect(loadConfig({}).deployment).toEqual({ workflowBundlePath: undefined, versioning: undefined });
  expect(
    loadConfig({ PIPEWRIGHT_DEPLOYMENT_NAME: 'pipewright', PIPEWRIGHT_BUILD_ID: '2026.05.1' }).deployment.versioning,
  ).toEqual({ deploymentName: 'pipewright', buildId: '2026.05.1', defaultVersioningBehavior: 'PINNED' });
  expect(
    loadConfig({
      PIPEWRIGHT_DEPLOYMENT_NAME: 'pipewright',
      PIPEWRIGHT_BUILD_ID: 'b2',
      PIPEWRIGHT_VERSIONING_BEHAVIOR: 'auto-upgrade',
    }).deployment.versioning?.defaultVersioningBehavior,
  ).toBe('AUTO_UPGRADE');
  expect(problems({ PIPEWRIGHT_DEPLOYMENT_NAME: 'pipewright' })).toEqual([
    'PIPEWRIGHT_BUILD_ID: missing; Worker Versioning needs PIPEWRIGHT_DEPLOYMENT_NAME and PIPEWRIGHT_BUILD_ID',
  ]);
  expect(problems({ PIPEWRIGHT_DEPLOYMENT_NAME: 'pipe.wright', PIPEWRIGHT_BUILD_ID: 'b1' })[0]).toMatch(
    /^PIPEWRIGHT_DEPLOYMENT_NAME: expected a name without dots/,
  );
  expect(problems({ PIPEWRIGHT_WORKFLOW_BUNDLE: '/nonexistent/bundle.js' })).toEqual([
    'PIPEWRIGHT_WORKFLOW_BUNDLE: cannot read /nonexistent/bundle.js (ENOENT); write it with `pipewright bundle --out <file>`',
  ]);
});

test('isKnownSetting: the schema, named connections and the _FILE variants of secrets', () => {
  for (const known of [
    'TEMPORAL_ADDRESS',
    'PIPEWRIGHT_METRICS_PORT',
    'PIPEWRIGHT_CODEC_KEYS',
    'PIPEWRIGHT_CODEC_KEYS_FILE',
    'TEMPORAL_API_KEY_FILE',
    'DATABASE_URL_FILE',
    'DATABASE_URL_REPORTING',
    'DATABASE_URL_REPORTING_FILE',
    'PGSSLMODE',
    'PIPEWRIGHT_BUILD_ID',
  ])
    expect([known, isKnownSetting(known)]).toEqual([known, true]);
  for (const unknown of ['PIPEWRIGHT_SHUTDOWN_GRACE_TIME', 'TEMPORAL_ADDRESS_FILE', 'NODE_ENV', 'PIPEWRIGHT_METRICS'])
    expect([unknown, isKnownSetting(unknown)]).toEqual([unknown, false]);
});
