/**
 * Postgres and Redis over TLS with the settings' options: Postgres through a proxy that speaks the SSLRequest
 * handshake and TLS (client certificate required) in front of the shared server; Redis as a private TLS-only
 * redis-server started here. Verification failures are refused.
 */
import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import Redis from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../../../src/platform/config/config';
import { createDataServices } from '../../../src/data/services';
import { pgSslOptions } from '../../../src/platform/security/pg-ssl';
import { redisTlsOptions } from '../../../src/platform/security/redis-tls';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import { runPipewright } from '../../helpers/cli-process';
import type { TlsProxy } from '../../helpers/tls-proxy';
import { startPostgresTlsProxy } from '../../helpers/tls-proxy';
import { freePort } from '../../helpers/worker-process';

const PLAIN_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const schema = `pwt_tls_${randomBytes(4).toString('hex')}`;

let pki: TestPki;
let proxy: TlsProxy;
let redisServer: ChildProcess | undefined;
beforeAll(async () => {
  pki = createTestPki();
  proxy = await startPostgresTlsProxy({
    upstreamPort: Number(new URL(PLAIN_URL).port || 5432),
    upstreamHost: new URL(PLAIN_URL).hostname,
    cert: fs.readFileSync(pki.serverCert),
    key: fs.readFileSync(pki.serverKey),
    clientCa: fs.readFileSync(pki.caCert),
  });
});
afterAll(async () => {
  const plain = new pg.Pool({ connectionString: PLAIN_URL, max: 1 });
  await plain.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await plain.query(`DROP SCHEMA IF EXISTS "${schema}_staging" CASCADE`);
  await plain.end();
  await proxy?.close();
  if (redisServer && redisServer.exitCode === null) {
    const exited = new Promise((resolve) => redisServer?.once('exit', resolve));
    redisServer.kill('SIGTERM');
    await exited;
  }
  pki?.remove();
});

const pgEnv = (): NodeJS.ProcessEnv => ({
  DATABASE_URL: `postgres://postgres@localhost:${proxy.port}/postgres`,
  PIPEWRIGHT_DB_SCHEMA: schema,
  PIPEWRIGHT_STAGING_SCHEMA: `${schema}_staging`,
  PGSSLMODE: 'verify-full',
  PGSSLROOTCERT: pki.caCert,
  PGSSLCERT: pki.clientCert,
  PGSSLKEY: pki.clientKey,
});

test('the data services connect to Postgres with PGSSL* settings: verified server, client certificate', async () => {
  const config = loadConfig(pgEnv());
  const data = createDataServices({
    url: config.db.url,
    projectSchema: config.db.projectSchema,
    stagingSchema: config.db.stagingSchema,
    ssl: pgSslOptions(config.pgSsl),
  });
  try {
    await data.ready(data.pool());
    const { rows } = await data
      .pool()
      .query<{ n: string }>(`SELECT count(*) AS n FROM information_schema.tables WHERE table_schema = $1`, [schema]);
    expect(Number(rows[0]?.n)).toBeGreaterThanOrEqual(3);
  } finally {
    await data.close();
  }
  expect(proxy.sessions).toContain('client');
});

test('sslmode and certificate files in the URL work without PGSSL* settings', async () => {
  const url =
    `postgres://postgres@localhost:${proxy.port}/postgres?sslmode=verify-full` +
    `&sslrootcert=${pki.caCert}&sslcert=${pki.clientCert}&sslkey=${pki.clientKey}`;
  const data = createDataServices({ url: loadConfig({ DATABASE_URL: url }).db.url });
  const sessions = proxy.sessions.length;
  try {
    expect((await data.pool().query('SELECT 1 AS one')).rows).toEqual([{ one: 1 }]);
  } finally {
    await data.close();
  }
  expect(proxy.sessions.length).toBe(sessions + 1);
});

test('another CA, or no client certificate, is refused', async () => {
  const wrongCa = loadConfig({ ...pgEnv(), PGSSLROOTCERT: pki.otherCaCert });
  const pool1 = new pg.Pool({ connectionString: wrongCa.db.url, ssl: pgSslOptions(wrongCa.pgSsl) || undefined });
  await expect(pool1.query('SELECT 1')).rejects.toThrow(/certificate/i);
  await pool1.end();
  const { PGSSLCERT: _c, PGSSLKEY: _k, ...noClientCert } = pgEnv();
  const anonymous = loadConfig(noClientCert);
  const pool2 = new pg.Pool({ connectionString: anonymous.db.url, ssl: pgSslOptions(anonymous.pgSsl) || undefined });
  await expect(pool2.query('SELECT 1')).rejects.toThrow();
  await pool2.end();
  expect(proxy.failures.join(' ')).toMatch(/certificate/i);
});

test('pipewright migrate uses the PGSSL* settings', async () => {
  const sessions = proxy.sessions.length;
  const r = await runPipewright(['migrate'], pgEnv());
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toContain(`schema ${schema}: nothing to apply`);
  expect(proxy.sessions.length).toBe(sessions + 1);
}, 60_000);

async function startTlsRedis(): Promise<number> {
  const port = await freePort();
  redisServer = spawn(
    'redis-server',
    [
      '--port',
      '0',
      '--tls-port',
      String(port),
      '--bind',
      '127.0.0.1',
      '--tls-cert-file',
      pki.serverCert,
      '--tls-key-file',
      pki.serverKey,
      '--tls-ca-cert-file',
      pki.caCert,
      '--tls-auth-clients',
      'yes',
      '--save',
      '',
      '--appendonly',
      'no',
    ],
    { stdio: 'ignore' },
  );
  const deadline = Date.now() + 10_000;
  for (;;) {
    const probe = new Redis({
      port,
      host: '127.0.0.1',
      lazyConnect: true,
      tls: redisTlsOptions(loadConfig(redisEnv()).redisTls),
      maxRetriesPerRequest: 0,
      retryStrategy: () => null,
    });
    probe.on('error', () => undefined);
    const ok = await probe.connect().then(
      () => true,
      () => false,
    );
    probe.disconnect();
    if (ok) return port;
    if (Date.now() > deadline) throw new Error('the TLS redis-server did not start');
    await new Promise((r) => setTimeout(r, 100));
  }
}

const redisEnv = (): NodeJS.ProcessEnv => ({
  REDIS_TLS_CA: pki.caCert,
  REDIS_TLS_CERT: pki.clientCert,
  REDIS_TLS_KEY: pki.clientKey,
  REDIS_TLS_SERVER_NAME: 'localhost',
});

test('ioredis connects to a TLS-only Redis with redisTlsOptions; without a client certificate it cannot', async () => {
  const redisPort = await startTlsRedis();
  const tls = redisTlsOptions(loadConfig(redisEnv()).redisTls);
  const redis = new Redis(`rediss://127.0.0.1:${redisPort}`, { tls, maxRetriesPerRequest: 1 });
  try {
    const key = `pwt-tls-${randomBytes(4).toString('hex')}`;
    await redis.set(key, 'over-tls', 'EX', 60);
    expect(await redis.get(key)).toBe('over-tls');
  } finally {
    redis.disconnect();
  }
  const anonymous = redisTlsOptions(
    loadConfig({ REDIS_TLS_CA: pki.caCert, REDIS_TLS_SERVER_NAME: 'localhost' }).redisTls,
  );
  const refused = new Redis(`rediss://127.0.0.1:${redisPort}`, {
    tls: anonymous,
    lazyConnect: true,
    maxRetriesPerRequest: 0,
    retryStrategy: () => null,
  });
  refused.on('error', () => undefined);
  await expect(refused.connect().then(() => refused.ping())).rejects.toThrow();
  refused.disconnect();
}, 30_000);
