/** Retention of the ledger and the rejects: 90 and 30 days by default, a duration, or `off`; 0 and words refused. */
import { ConfigError, loadConfig } from '../../../src/platform/config/config';

const DAY_MS = 86_400_000;

test('defaults: the ledger 90 days, the rejects 30 days', () => {
  const { db } = loadConfig({});
  expect(db.ledgerRetentionMs).toBe(90 * DAY_MS);
  expect(db.rejectsRetentionMs).toBe(30 * DAY_MS);
});

test('a duration, or off to keep the rows', () => {
  const { db } = loadConfig({ PIPEWRIGHT_LEDGER_RETENTION: '365d', PIPEWRIGHT_REJECTS_RETENTION: 'off' });
  expect(db.ledgerRetentionMs).toBe(365 * DAY_MS);
  expect(db.rejectsRetentionMs).toBeUndefined();
  expect(loadConfig({ PIPEWRIGHT_LEDGER_RETENTION: 'OFF' }).db.ledgerRetentionMs).toBeUndefined();
});

test('0 and non-durations are refused, naming the setting', () => {
  for (const value of ['0', '0d', 'forever', '-1d'])
    expect(() => loadConfig({ PIPEWRIGHT_LEDGER_RETENTION: value })).toThrow(ConfigError);
  expect(() => loadConfig({ PIPEWRIGHT_REJECTS_RETENTION: 'soon' })).toThrow(
    /PIPEWRIGHT_REJECTS_RETENTION: expected a duration longer than 0 such as "30d", or "off"/,
  );
});
