/**
 * The Temporal Web UI and the codec endpoint's credentials, in headless Chromium against a dev server of its own
 * whose UI calls an HTTPS codec endpoint (the UI passes access tokens to no other) that accepts JWTs its JWKS file
 * verifies.
 *
 * The dev server's embedded UI cannot be made to send a token: `temporal server start-dev` has no option for the
 * UI's `codec.passAccessToken` or for a login, its settings say `"Auth":{"Enabled":false}` and
 * `"PassAccessToken":false`, and with auth disabled the UI clears its user (and so its access token) on every page
 * load, even with the browser's "pass the user access token" codec setting on. So the UI itself is tested as it
 * runs here: its decode requests carry no credential, the endpoint refuses them, and the page shows no plaintext.
 * The token is tested as the closest real thing: the run's page, at the UI's origin, sends the request the UI's
 * codec client sends with a token (`Authorization: Bearer`, `X-Namespace`, `?preserveStorageRefs=true`) with the
 * browser's own fetch: CORS preflight and HTTPS included, it decodes with a valid JWT and is refused otherwise.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Client, Connection } from '@temporalio/client';
import type { Browser, Page } from 'playwright-core';
import { chromium } from 'playwright-core';
import { PipewrightClient } from '../../src/client/client';
import type { CodecServer } from '../../src/platform/codec/codec-server';
import { startCodecServer } from '../../src/platform/codec/codec-server';
import { encryptionDataConverter } from '../../src/platform/codec/data-converter';
import { createEncryptionCodec } from '../../src/platform/codec/encryption-codec';
import { parseKeyRing } from '../../src/platform/codec/key-ring';
import type { PayloadJson } from '../../src/platform/codec/payload-json';
import { toPayloadJson } from '../../src/platform/codec/payload-json';
import { loadConfig } from '../../src/platform/config/config';
import type { DevServer } from '../../src/platform/devserver';
import { freePort, startDevServer } from '../../src/platform/devserver';
import type { TestPki } from '../helpers/certs';
import { createTestPki } from '../helpers/certs';
import { epoch, makeSigningKey, signJwt } from '../helpers/jwt';
import { ARTIFACTS, TEMPORAL_BIN } from '../helpers/paths';

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'];
const UI_WAIT_MS = 20_000;
const KEYS = `ui:${randomBytes(32).toString('base64')}`;
const SECRET = `payroll-${randomBytes(6).toString('hex')}`;
const signer = makeSigningKey('RS256', 'idp-1');
const accessToken = (claims: Record<string, unknown> = {}) =>
  signJwt(signer, { sub: 'alice@example.com', exp: epoch(600), namespaces: ['default'], ...claims });

let pki: TestPki;
let dir: string;
let codec: CodecServer;
const codecLog: string[] = [];
let server: DevServer;
let connection: Connection;
let browser: Browser;
let runPage: string;
/** The run's input as the UI sends it to the endpoint: the payloads of its first event, in protobuf JSON. */
let inputPayloads: PayloadJson[];

beforeAll(async () => {
  pki = createTestPki();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-ui-codec-'));
  const jwks = path.join(dir, 'jwks.json');
  fs.writeFileSync(jwks, JSON.stringify({ keys: [signer.jwk] }));
  const uiPort = await freePort();
  const keys = parseKeyRing(KEYS);
  const config = loadConfig({
    PIPEWRIGHT_CODEC_KEYS: KEYS,
    PIPEWRIGHT_CODEC_JWT_KEYS_FILE: jwks,
    PIPEWRIGHT_CODEC_TLS_CERT: pki.serverCert,
    PIPEWRIGHT_CODEC_TLS_KEY: pki.serverKey,
    PIPEWRIGHT_CODEC_CORS_ORIGINS: `http://127.0.0.1:${uiPort}`,
  });
  codec = await startCodecServer({
    ...config.codecServer,
    port: 0,
    codec: createEncryptionCodec(keys),
    log: (line) => codecLog.push(line),
  });
  server = await startDevServer({
    bin: TEMPORAL_BIN,
    uiPort,
    uiCodecEndpoint: `${codec.url}/codec`,
    readyTimeoutMs: 30_000,
  });
  // No worker: the run's first event already holds its input, encrypted by the client.
  connection = await Connection.connect({ address: server.address });
  const client = new Client({ connection, dataConverter: encryptionDataConverter(keys) });
  const pw = new PipewrightClient(client, { taskQueue: 'web-ui-codec-auth' });
  const run = await pw.start(
    { name: 'payroll', description: SECRET, nodes: [{ id: 'a', type: 'noop' }] },
    { runKey: 'ui-codec' },
  );
  runPage = `${server.runUrl(run.workflowId)}/${run.runId}/history`;
  const history = await client.workflow.getHandle(run.workflowId, run.runId).fetchHistory();
  const started = history.events?.[0]?.workflowExecutionStartedEventAttributes;
  inputPayloads = (started?.input?.payloads ?? []).map((p) => toPayloadJson(p));
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  fs.mkdirSync(ARTIFACTS, { recursive: true });
}, 90_000);

afterAll(async () => {
  await browser?.close();
  await connection?.close();
  await server?.stop();
  await codec?.close();
  pki?.remove();
  if (dir) fs.rmSync(dir, { recursive: true, force: true });
});

/**
 * A page whose "Codec Server" browser settings (kept by the UI in localStorage, as its settings dialog writes them)
 * use the endpoint and pass the user's access token. The test CA is not in Chromium's store: certificate errors
 * are ignored for this browser context only.
 */
async function openUi(): Promise<Page> {
  const context = await browser.newContext({ ignoreHTTPSErrors: true, viewport: { width: 1400, height: 1000 } });
  const page = await context.newPage();
  await page.goto(`${server.uiUrl}/namespaces/default/workflows`);
  // The page's own script context (the test's tsconfig has no DOM types).
  const settings = { overrideRemoteCodecConfiguration: true, endpoint: `${codec.url}/codec`, passAccessToken: true };
  await page.evaluate(
    `for (const [k, v] of Object.entries(${JSON.stringify(settings)})) localStorage.setItem(k, JSON.stringify(v))`,
  );
  return page;
}

/** The text of the page and of its frames. */
async function pageText(page: Page): Promise<string> {
  const texts = await Promise.all(page.frames().map((f) => f.content().catch(() => '')));
  return texts.join('\n');
}

async function until(what: string, check: () => Promise<boolean> | boolean): Promise<void> {
  const deadline = Date.now() + UI_WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`${what} within ${UI_WAIT_MS} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

test('the Web UI, which has no token to pass here, is refused by the endpoint and shows no plaintext', async () => {
  const page = await openUi();
  await page.goto(runPage);
  await until('a refused decode request', () =>
    codecLog.some((l) =>
      l.startsWith('codec POST /codec/decode namespace=default credential=- payloads=- -> 401 credentials required'),
    ),
  );
  // The UI says the codec failed and shows the input as it is stored: ciphertext.
  await until('the codec error on the page', async () =>
    (await pageText(page)).includes('Codec Server could not connect'),
  );
  await page.getByText('Input', { exact: true }).first().waitFor({ state: 'attached', timeout: UI_WAIT_MS });
  await new Promise((r) => setTimeout(r, 1_000));
  expect(await pageText(page)).not.toContain(SECRET);
  await page.screenshot({ path: path.join(ARTIFACTS, 'web-ui-codec-refused.png'), fullPage: true });
  expect(codecLog.filter((l) => l.includes('-> 200'))).toEqual([]);
  await page.context().close();
}, 60_000);

interface CodecAnswer {
  status: number;
  wwwAuthenticate: string | null;
  body: { error?: string; payloads?: { data?: string }[] };
}

test("from the UI's origin, its codec request with the user's access token decodes; without a valid one it is refused", async () => {
  const page = await openUi();
  await page.goto(runPage);
  /** The UI's codec client's request (its headers and URL), sent by the page. */
  const decode = (token: string): Promise<CodecAnswer> =>
    page.evaluate(`(async () => {
      const r = await fetch(${JSON.stringify(`${codec.url}/codec/decode?preserveStorageRefs=true`)}, {
        method: 'POST',
        headers: { 'Content-Type': 'application/json', 'X-Namespace': 'default', Authorization: 'Bearer ${token}' },
        body: ${JSON.stringify(JSON.stringify({ payloads: inputPayloads }))},
      });
      return { status: r.status, wwwAuthenticate: r.headers.get('WWW-Authenticate'), body: await r.json() };
    })()`);
  const decoded = await decode(accessToken());
  expect(decoded.status).toBe(200);
  const texts = (decoded.body.payloads ?? []).map((p) => Buffer.from(p.data ?? '', 'base64').toString('utf8'));
  expect(texts.join('\n')).toContain(SECRET);

  const refusals: [string, number, string][] = [
    [accessToken({ exp: epoch(-3600) }), 401, 'JWT expired'],
    [
      signJwt(makeSigningKey('RS256', 'idp-1'), { sub: 'mallory', exp: epoch(600), namespaces: ['*'] }),
      401,
      'JWT not signed by a known key',
    ],
    [
      accessToken({ namespaces: ['payroll'] }),
      403,
      'jwt:alice@example.com may not decode payloads of namespace "default"',
    ],
  ];
  for (const [token, status, error] of refusals) {
    const answer = await decode(token);
    expect(answer).toEqual({
      status,
      wwwAuthenticate: status === 401 ? 'Bearer realm="pipewright codec", error="invalid_token"' : null,
      body: { error },
    });
  }
  expect(codecLog).toContainEqual(
    expect.stringMatching(
      /^codec POST \/codec\/decode namespace=default credential=jwt:alice@example.com payloads=\d+ -> 200$/,
    ),
  );
  expect(codecLog.join('\n')).not.toContain(SECRET);
  await page.context().close();
}, 60_000);
