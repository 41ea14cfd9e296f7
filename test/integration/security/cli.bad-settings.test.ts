/**
 * `pipewright worker` with a bad setting (run as a child process): exits 2 with one line naming the setting, and
 * shows no secret. Nothing is contacted: the settings are checked first.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { TestPki } from '../../helpers/certs';
import { createTestPki } from '../../helpers/certs';
import { runPipewright } from '../../helpers/cli-process';

let pki: TestPki;
beforeAll(() => {
  pki = createTestPki();
});
afterAll(() => pki.remove());

// A port nothing listens on: the settings must fail before any connection attempt.
const BASE = { TEMPORAL_ADDRESS: '127.0.0.1:9', PIPEWRIGHT_METRICS_PORT: '0', PIPEWRIGHT_SDK_METRICS_PORT: '0' };

test('a bad setting: one line naming it, exit code 2; several: one line each', async () => {
  const shortKey = randomBytes(16).toString('base64');
  const notPem = path.join(pki.dir, 'not-a-cert.pem');
  fs.writeFileSync(notPem, 'hello\n');
  const missingCert = path.join(pki.dir, 'missing.pem');
  const missingApiKey = path.join(pki.dir, 'no-api-key');
  // Three processes, not one per setting: each CLI start costs seconds of CPU on a shared machine.
  const cases: Array<[NodeJS.ProcessEnv, string[]]> = [
    [
      { TEMPORAL_TLS_CERT: missingCert, TEMPORAL_TLS_KEY: pki.clientKey },
      [`TEMPORAL_TLS_CERT: cannot read ${missingCert} (ENOENT)`],
    ],
    [
      {
        TEMPORAL_TLS_CERT: pki.clientCert,
        PIPEWRIGHT_CODEC_KEYS: `k1:${shortKey}`,
        DATABASE_URL: 'postgres://etl:hunter#2@db/warehouse',
        TEMPORAL_API_KEY_FILE: missingApiKey,
      },
      [
        `TEMPORAL_API_KEY_FILE: cannot read ${missingApiKey} (ENOENT)`,
        'DATABASE_URL: not a valid URL (percent-encode special characters in the user name and password)',
        'TEMPORAL_TLS_KEY: missing; a client certificate (TEMPORAL_TLS_CERT) needs its private key',
        'PIPEWRIGHT_CODEC_KEYS: key "k1": 16 bytes; AES-256-GCM needs 32 (openssl rand -base64 32)',
      ],
    ],
    [
      { TEMPORAL_TLS_CA: notPem, PIPEWRIGHT_CODEC_KEYS: 'k1:***not-base64***' },
      [
        `TEMPORAL_TLS_CA: ${notPem} holds no PEM certificate (-----BEGIN CERTIFICATE-----)`,
        'PIPEWRIGHT_CODEC_KEYS: key "k1": not valid base64 (generate one with: openssl rand -base64 32)',
      ],
    ],
  ];
  const results = await Promise.all(cases.map(([env]) => runPipewright(['worker'], { ...BASE, ...env })));
  results.forEach((r, i) => {
    const [, lines] = cases[i] as [NodeJS.ProcessEnv, string[]];
    expect({ code: r.code, stdout: r.stdout }).toEqual({ code: 2, stdout: '' });
    expect(r.stderr.trimEnd().split('\n').sort()).toEqual(lines.map((l) => `invalid configuration: ${l}`).sort());
  });
  const stderr = results.map((r) => r.stderr).join('');
  expect(stderr).not.toContain(shortKey);
  expect(stderr).not.toContain('hunter#2');
}, 90_000);
