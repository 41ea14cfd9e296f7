/** Webhook settings of `notify`: the default and named ones, from the environment or a secret file, checked. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, isKnownSetting, loadConfig } from '../../../src/platform/config/config';

test('the default webhook and named ones (names in lower case); a named one from a file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-notify-'));
  const file = path.join(dir, 'ops-url');
  fs.writeFileSync(file, 'https://hooks.example/ops?token=s3cret\n');
  try {
    const config = loadConfig({
      PIPEWRIGHT_NOTIFY_WEBHOOK: 'https://hooks.example/all',
      PIPEWRIGHT_NOTIFY_WEBHOOK_OPS_FILE: file,
    });
    expect(config.notifyWebhooks).toEqual({
      '': 'https://hooks.example/all',
      ops: 'https://hooks.example/ops?token=s3cret',
    });
    expect(loadConfig({}).notifyWebhooks).toEqual({});
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
  for (const name of [
    'PIPEWRIGHT_NOTIFY_WEBHOOK',
    'PIPEWRIGHT_NOTIFY_WEBHOOK_OPS',
    'PIPEWRIGHT_NOTIFY_WEBHOOK_OPS_FILE',
  ])
    expect(isKnownSetting(name)).toBe(true);
});

test('a webhook that is not an http(s) URL is named, without showing its value', () => {
  try {
    loadConfig({ PIPEWRIGHT_NOTIFY_WEBHOOK_OPS: 'ftp://user:secret@host/x' });
    throw new Error('loaded');
  } catch (err) {
    expect(err).toBeInstanceOf(ConfigError);
    expect((err as Error).message).toMatch(/PIPEWRIGHT_NOTIFY_WEBHOOK_OPS: expected an http\(s\) URL, got ftp:/);
    expect((err as Error).message).not.toContain('secret');
  }
});
