/**
 * Temporal over TLS, mTLS and API key, with certificates made by openssl at test time and a TLS-terminating proxy
 * in front of the tests' dev server: `pipewright worker` and the client connect with a client certificate; a
 * client without one, or trusting another CA, is refused; an API key from a file goes over TLS.
 */
import fs from 'node:fs';
import path from 'node:path';
import { PipewrightClient } from '../../../src/client/client';
import { TemporalUnreachableError } from '../../../src/client/errors';
import { loadConfig } from '../../../src/platform/config/config';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import { startPipewright } from '../../helpers/cli-process';
import { WORKFLOW_BUNDLE } from '../../helpers/paths';
import { startPipeline } from '../../helpers/runs';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness } from '../../helpers/temporal';
import type { TlsProxy } from '../../helpers/tls-proxy';
import { startTlsProxy } from '../../helpers/tls-proxy';

let h: TemporalHarness;
let pki: TestPki;
let mtls: TlsProxy;
let tlsOnly: TlsProxy;
beforeAll(async () => {
  h = await connectHarness('tls');
  pki = createTestPki();
  const upstreamPort = Number(h.address.split(':').pop());
  const server = { cert: fs.readFileSync(pki.serverCert), key: fs.readFileSync(pki.serverKey), upstreamPort };
  mtls = await startTlsProxy({ ...server, clientCa: fs.readFileSync(pki.caCert) });
  tlsOnly = await startTlsProxy(server);
});
afterAll(async () => {
  await mtls?.close();
  await tlsOnly?.close();
  await h?.close();
  pki?.remove();
});

const mtlsEnv = (): NodeJS.ProcessEnv => ({
  TEMPORAL_ADDRESS: `127.0.0.1:${mtls.port}`,
  TEMPORAL_TLS_CA: pki.caCert,
  TEMPORAL_TLS_CERT: pki.clientCert,
  TEMPORAL_TLS_KEY: pki.clientKey,
  TEMPORAL_TLS_SERVER_NAME: 'localhost',
  PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
});

test('pipewright worker and the client connect with mTLS; a run completes through it', async () => {
  const worker = startPipewright(['worker'], {
    ...mtlsEnv(),
    PIPEWRIGHT_WORKFLOW_BUNDLE: WORKFLOW_BUNDLE,
    PIPEWRIGHT_METRICS_PORT: '0',
    PIPEWRIGHT_SDK_METRICS_PORT: '0',
  });
  try {
    await worker.waitFor(/polling task queue/);
    // Started by the plain-text harness client, run by the worker that only reaches Temporal through mTLS.
    const handle = await startPipeline(h.client, h.taskQueue, {
      name: 'over-mtls',
      nodes: [{ id: 'a', type: 'sleep', params: { duration: '100ms' } }],
    });
    expect((await handle.result()).status.state).toBe('completed');
    const client = await PipewrightClient.connect(loadConfig(mtlsEnv()));
    try {
      expect((await client.describe(handle.workflowId)).executionState).toBe('completed');
      expect(await client.hasWorkers()).toBe(true);
    } finally {
      await client.close();
    }
  } finally {
    expect(await worker.stop()).toBe(0);
  }
  expect(mtls.sessions.length).toBeGreaterThanOrEqual(2);
  expect(new Set(mtls.sessions)).toEqual(new Set(['client']));
}, 90_000);

test('without a client certificate, or trusting another CA, the connection is refused', async () => {
  const { TEMPORAL_TLS_CERT: _cert, TEMPORAL_TLS_KEY: _key, ...noClientCert } = mtlsEnv();
  const failuresBefore = mtls.failures.length;
  await expect(PipewrightClient.connect(loadConfig(noClientCert), { connectTimeoutMs: 3_000 })).rejects.toThrow(
    TemporalUnreachableError,
  );
  expect(mtls.failures.slice(failuresBefore).join(' ')).toMatch(/certificate/i);
  await expect(
    PipewrightClient.connect(loadConfig({ ...mtlsEnv(), TEMPORAL_TLS_CA: pki.otherCaCert }), {
      connectTimeoutMs: 3_000,
    }),
  ).rejects.toThrow(TemporalUnreachableError);
}, 60_000);

test('an API key from TEMPORAL_API_KEY_FILE implies TLS and connects', async () => {
  const keyFile = path.join(pki.dir, 'api-key');
  fs.writeFileSync(keyFile, 'pw-test-api-key\n');
  const config = loadConfig({
    TEMPORAL_ADDRESS: `127.0.0.1:${tlsOnly.port}`,
    TEMPORAL_API_KEY_FILE: keyFile,
    TEMPORAL_TLS_CA: pki.caCert,
    TEMPORAL_TLS_SERVER_NAME: 'localhost',
  });
  expect(config.temporal.tls).toBeDefined();
  const client = await PipewrightClient.connect(config);
  try {
    expect(await client.list({ limit: 1 })).toEqual(expect.any(Array));
  } finally {
    await client.close();
  }
  // Over TLS, without a client certificate.
  expect(tlsOnly.sessions).toContain('');
}, 60_000);
