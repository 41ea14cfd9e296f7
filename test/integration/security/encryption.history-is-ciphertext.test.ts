/**
 * With the codec on, what Temporal stores is ciphertext: every payload of the run's history (input, memo,
 * summaries, activity inputs and results, failure messages) as `temporal workflow show --output json` prints it.
 * The run still completes, and the codec endpoint (`pipewright codec-server`) decodes the payloads back to the
 * plaintext JSON, for the Web UI and for `temporal --codec-endpoint --codec-auth` (with a token of the endpoint's
 * tokens file, for the namespace the CLI names in X-Namespace).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseKeyRing } from '../../../src/platform/codec/key-ring';
import { PipewrightClient } from '../../../src/client/client';
import type { RunningCli } from '../../helpers/cli-process';
import { startPipewright, temporalCli } from '../../helpers/cli-process';
import type { TemporalHarness } from '../../helpers/temporal';
import { connectHarness, uniqueId } from '../../helpers/temporal';
import { freePort } from '../../helpers/worker-process';

interface JsonPayload {
  metadata?: Record<string, string>;
  data?: string;
}

const KEYS = `2026-05:${randomBytes(32).toString('base64')},2025-11:${randomBytes(32).toString('base64')}`;
const UI_ORIGIN = 'http://localhost:8233';
const TOKEN = `ops-${randomBytes(24).toString('base64url')}`;
const AUTH = { authorization: `Bearer ${TOKEN}`, 'x-namespace': 'default' };
const SECRET_PARAM = `salary-row-${randomBytes(4).toString('hex')}`;
const DESCRIPTION = `Quarterly payroll export ${randomBytes(4).toString('hex')}`;
const definition = {
  name: 'payroll-export',
  description: DESCRIPTION,
  defaults: { retry: { initialInterval: '100ms' } },
  nodes: [
    { id: 'extract-payroll', type: 'sleep', params: { duration: '150ms' } },
    // Fails once with a message carrying "data", then succeeds: the failure is kept in the history.
    { id: 'flaky-transform', type: 'fail', needs: ['extract-payroll'], params: { attempts: 1, message: SECRET_PARAM } },
    { id: 'publish-ledger', type: 'noop', needs: ['flaky-transform'] },
  ],
};

let h: TemporalHarness;
let codecServer: RunningCli;
let endpoint: string;
let tokensDir: string;
beforeAll(async () => {
  h = await connectHarness('encrypted', { codecKeys: parseKeyRing(KEYS) });
  await h.startWorker();
  const port = await freePort();
  tokensDir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-codec-tokens-'));
  const tokensFile = path.join(tokensDir, 'tokens');
  fs.writeFileSync(tokensFile, `ops ${TOKEN} default\n`);
  codecServer = startPipewright(['codec-server', '--port', String(port), '--origin', UI_ORIGIN], {
    PIPEWRIGHT_CODEC_KEYS: KEYS,
    PIPEWRIGHT_CODEC_TOKENS_FILE: tokensFile,
  });
  endpoint = `http://127.0.0.1:${port}/codec`;
  await codecServer.waitFor(/codec endpoint on/);
}, 120_000);
afterAll(async () => {
  await codecServer?.stop();
  await h?.close();
  if (tokensDir) fs.rmSync(tokensDir, { recursive: true, force: true });
});

/**
 * Every payload object in the CLI's JSON (an object with base64 `metadata` values and usually `data`), except the
 * two kinds Temporal and its SDK write without a payload codec: search attributes (`indexedFields`, indexed by the
 * server; their names are collected in `indexed`) and `patched()` markers (`patch-data`, only the patch id; their
 * payloads are collected in `indexed` as `patch:<data>`).
 */
function payloadsIn(value: unknown, found: JsonPayload[] = [], indexed = new Set<string>()): JsonPayload[] {
  if (Array.isArray(value)) for (const v of value) payloadsIn(v, found, indexed);
  else if (value && typeof value === 'object') {
    const o = value as Record<string, unknown>;
    if (
      o.metadata &&
      typeof o.metadata === 'object' &&
      typeof (o.metadata as Record<string, unknown>).encoding === 'string'
    )
      found.push(o as JsonPayload);
    else
      for (const [k, v] of Object.entries(o)) {
        if (k === 'indexedFields' && v && typeof v === 'object') Object.keys(v).forEach((name) => indexed.add(name));
        else if (k === 'patch-data') payloadsIn(v, []).forEach((p) => indexed.add(`patch:${unbase64(p.data)}`));
        else payloadsIn(v, found, indexed);
      }
  }
  return found;
}
const unbase64 = (s: string | undefined): string => Buffer.from(s ?? '', 'base64').toString('utf8');

test('the stored history holds only ciphertext, the run completes, and the codec endpoint decodes it', async () => {
  const pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  const outcome = await pw.execute(definition, { runKey: uniqueId('k') });
  expect(outcome.outcome).toBe('completed');
  expect(outcome.status?.nodes.map((n) => [n.id, n.state, n.attempts])).toEqual([
    ['extract-payroll', 'succeeded', 1],
    ['flaky-transform', 'succeeded', 2],
    ['publish-ledger', 'succeeded', 1],
  ]);

  const raw = await temporalCli(h.address, [
    'workflow',
    'show',
    '--workflow-id',
    outcome.workflowId,
    '--output',
    'json',
  ]);
  const indexed = new Set<string>();
  const payloads = payloadsIn(JSON.parse(raw), [], indexed);
  // The only plain values: pipewright's search attributes (the pipeline's name, also in the workflow id, and its
  // state) and the SDK's own record of the patch ids the workflow took (TemporalChangeVersion and patch markers).
  const plainAllowed = [
    'PipelineName',
    'PipelineState',
    'TemporalChangeVersion',
    'patch:{"id":"pipeline-search-attributes","deprecated":false}',
  ];
  expect([...indexed].filter((name) => !plainAllowed.includes(name))).toEqual([]);
  // Input, memo fields, summaries and details, activity inputs and results, the retried attempt's failure...
  expect(payloads.length).toBeGreaterThanOrEqual(12);
  for (const p of payloads) {
    expect(unbase64(p.metadata?.encoding)).toBe('binary/encrypted');
    expect(['2026-05']).toContain(unbase64(p.metadata?.['encryption-key-id']));
    const inside = `${unbase64(p.data)} ${JSON.stringify(p)}`;
    for (const plain of [
      'extract-payroll',
      'flaky-transform',
      'publish-ledger',
      'payroll-export',
      '150ms',
      'json/plain',
    ])
      expect(inside).not.toContain(plain);
  }
  // Params, the description and the failure message appear nowhere (node ids do, in activity ids: not payloads).
  for (const secret of [SECRET_PARAM, DESCRIPTION, 'IntentionalFailure: ']) expect(raw).not.toContain(secret);
  expect(raw).toContain('Encoded failure');

  const response = await fetch(`${endpoint}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH, origin: UI_ORIGIN },
    body: JSON.stringify({ payloads }),
  });
  expect(response.status).toBe(200);
  expect(response.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  const decoded = ((await response.json()) as { payloads: JsonPayload[] }).payloads;
  expect(decoded).toHaveLength(payloads.length);
  const values = decoded.map((p) => {
    expect(['json/plain', 'binary/null']).toContain(unbase64(p.metadata?.encoding));
    return unbase64(p.metadata?.encoding) === 'json/plain' ? (JSON.parse(unbase64(p.data)) as unknown) : null;
  });
  // The workflow input decodes to the very definition that was started.
  expect(values).toContainEqual(expect.objectContaining({ definition }));
  expect(JSON.stringify(values)).toContain(SECRET_PARAM);

  // The official CLI shows the history in plain text through the same endpoint, with the token.
  const viaCodec = await temporalCli(h.address, [
    'workflow',
    'show',
    '--workflow-id',
    outcome.workflowId,
    '--output',
    'json',
    '--codec-endpoint',
    endpoint,
    '--codec-auth',
    `Bearer ${TOKEN}`,
  ]);
  const shown = payloadsIn(JSON.parse(viaCodec));
  expect(shown).toHaveLength(payloads.length);
  for (const p of shown) expect(['json/plain', 'binary/null']).toContain(unbase64(p.metadata?.encoding));
  const shownText = shown.map((p) => unbase64(p.data)).join('\n');
  for (const plain of [DESCRIPTION, SECRET_PARAM, 'extract-payroll']) expect(shownText).toContain(plain);
  // The CLI names its namespace, as the Web UI does; the log names the token, never the payloads.
  expect(codecServer.output()).toMatch(
    /codec POST \/codec\/decode namespace=default credential=token:ops payloads=\d+ -> 200/,
  );
  expect(codecServer.output()).not.toContain(SECRET_PARAM);
}, 120_000);

test('the codec endpoint answers the Web UI preflight, refuses other origins, and fails clearly on unknown keys', async () => {
  const preflight = await fetch(`${endpoint}/decode`, {
    method: 'OPTIONS',
    headers: {
      origin: UI_ORIGIN,
      'access-control-request-method': 'POST',
      'access-control-request-headers': 'content-type,x-namespace,authorization',
    },
  });
  expect(preflight.status).toBe(204);
  expect(preflight.headers.get('access-control-allow-origin')).toBe(UI_ORIGIN);
  expect(preflight.headers.get('access-control-allow-methods')).toContain('POST');
  expect(preflight.headers.get('access-control-allow-headers')).toContain('x-namespace');
  expect(preflight.headers.get('access-control-allow-headers')).toContain('authorization');

  const foreign = await fetch(`${endpoint}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', origin: 'https://evil.example' },
    body: JSON.stringify({ payloads: [] }),
  });
  expect(foreign.status).toBe(403);
  expect(foreign.headers.get('access-control-allow-origin')).toBeNull();

  const encodeResponse = await fetch(`${endpoint}/encode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({
      payloads: [
        {
          metadata: { encoding: Buffer.from('json/plain').toString('base64') },
          data: Buffer.from('"x"').toString('base64'),
        },
      ],
    }),
  });
  const [encoded] = ((await encodeResponse.json()) as { payloads: JsonPayload[] }).payloads;
  expect(unbase64(encoded?.metadata?.encoding)).toBe('binary/encrypted');
  const unknownKey = {
    ...encoded,
    metadata: { ...encoded?.metadata, 'encryption-key-id': Buffer.from('2024-01').toString('base64') },
  };
  const failed = await fetch(`${endpoint}/decode`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...AUTH },
    body: JSON.stringify({ payloads: [unknownKey] }),
  });
  expect(failed.status).toBe(422);
  expect(((await failed.json()) as { error: string }).error).toBe(
    'cannot decrypt a payload encrypted with key id "2024-01": this process knows only "2026-05", "2025-11"; ' +
      'add that key to PIPEWRIGHT_CODEC_KEYS',
  );
  const bad = await fetch(`${endpoint}/decode`, { method: 'POST', headers: AUTH, body: '{"payloads": 3}' });
  expect(bad.status).toBe(400);
});
