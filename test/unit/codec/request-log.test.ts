/** The codec endpoint's request log line: every field, and caller-given values kept to one printable line. */
import { codecRequestLine } from '../../../src/platform/codec/request-log';

test('method, path, namespace, credential, payload count and outcome', () => {
  expect(
    codecRequestLine({
      method: 'POST',
      path: '/codec/decode',
      namespace: 'default',
      credential: 'token:ops',
      payloads: 12,
      status: 200,
    }),
  ).toBe('codec POST /codec/decode namespace=default credential=token:ops payloads=12 -> 200');
  expect(
    codecRequestLine({
      method: 'POST',
      path: '/decode',
      namespace: undefined,
      credential: '-',
      status: 401,
      reason: 'unknown token',
    }),
  ).toBe('codec POST /decode namespace=- credential=- payloads=- -> 401 unknown token');
});

test('values from the caller cannot break the line or run on', () => {
  const line = codecRequestLine({
    method: 'POST',
    path: '/codec/decode',
    namespace: 'a b\nforged line',
    credential: `jwt:${'x'.repeat(500)}`,
    status: 403,
    reason: 'two\nlines',
  });
  expect(line.split('\n')).toHaveLength(1);
  expect(line).toContain('namespace=a?b?forged?line ');
  expect(line).toContain(`credential=jwt:${'x'.repeat(196)} `);
  expect(line).toMatch(/-> 403 two lines$/);
});
