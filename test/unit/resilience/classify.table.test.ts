import vm from 'node:vm';
import { InputFileError } from '../../../src/data/errors';
import { HttpResponseError } from '../../../src/platform/http/errors';
import { HttpRequestError, HttpStatusError } from '../../../src/platform/resilience/errors';
import { classifyError, isResourceFailure } from '../../../src/platform/resilience/classify';
import { BreakerTimeoutError, CircuitOpenError } from '../../../src/platform/resilience/errors';

const withCode = (code: string, message = 'boom'): Error => Object.assign(new Error(message), { code });
const http = (status: number) => new HttpStatusError('https://api.example.com/items', status, '');

/** [case, error, failure type, retryable, counts against the resource's breaker] */
const TABLE: Array<[string, Error, string, boolean, boolean]> = [
  // Retry: the resource is away, slow or busy.
  ['connection refused', withCode('ECONNREFUSED'), 'PostgresUnavailable', true, true],
  ['connection reset', withCode('ECONNRESET'), 'PostgresUnavailable', true, true],
  ['Postgres connection lost', new Error('Connection terminated unexpectedly'), 'PostgresUnavailable', true, true],
  [
    'Postgres connect timeout',
    new Error('Connection terminated due to connection timeout'),
    'PostgresUnavailable',
    true,
    true,
  ],
  ['Postgres shutting down (57P01)', withCode('57P01'), 'PostgresUnavailable', true, true],
  ['Postgres too many connections (53300)', withCode('53300'), 'PostgresRetryable', true, true],
  ['serialization failure (40001)', withCode('40001'), 'PostgresRetryable', true, false],
  ['deadlock (40P01)', withCode('40P01'), 'PostgresRetryable', true, false],
  ['breaker call timeout', new BreakerTimeoutError('https://api.example.com', 500), 'Timeout', true, true],
  [
    'fetch timeout (TimeoutError)',
    Object.assign(new Error('timed out'), { name: 'TimeoutError' }),
    'Timeout',
    true,
    true,
  ],
  ['HTTP request refused', new HttpRequestError('https://x', 'ECONNREFUSED', 'refused'), 'HttpUnavailable', true, true],
  ['HTTP connect timeout', new HttpRequestError('https://x', 'UND_ERR_CONNECT_TIMEOUT', 'slow'), 'Timeout', true, true],
  ['HTTP 503', http(503), 'HttpUnavailable', true, true],
  ['HTTP 502', http(502), 'HttpUnavailable', true, true],
  ['HTTP 429', http(429), 'HttpUnavailable', true, true],
  ['HTTP 408', http(408), 'HttpUnavailable', true, true],
  ['open breaker', new CircuitOpenError('postgres://h:5432/db', 1_000, 30_000), 'CircuitOpen', true, false],
  ['other network error', withCode('ENETUNREACH'), 'ConnectionFailed', true, true],
  // Do not retry: the resource answered, and the answer will be the same.
  ['bad input (22P02)', withCode('22P02'), 'PostgresDataError', false, false],
  ['unique violation (23505)', withCode('23505'), 'PostgresConstraintViolation', false, false],
  ['foreign key violation (23503)', withCode('23503'), 'PostgresConstraintViolation', false, false],
  ['syntax error (42601)', withCode('42601'), 'PostgresInvalidStatement', false, false],
  ['Postgres password failed (28P01)', withCode('28P01'), 'PostgresAuthenticationFailed', false, false],
  ['HTTP 401', http(401), 'AuthenticationFailed', false, false],
  ['HTTP 403', http(403), 'AuthenticationFailed', false, false],
  ['HTTP 400', http(400), 'HttpBadRequest', false, false],
  ['HTTP 404', http(404), 'HttpBadRequest', false, false],
  ['response not JSON', new HttpResponseError('n', 'https://x', 'not JSON'), 'HttpResponseError', false, false],
  ['missing input file', new InputFileError('n', '/nope.csv', 'does not exist'), 'InputFileError', false, false],
];

const ROWS = TABLE.map(([name, err, type, retryable, failure]) => [name, type, retryable, failure, err] as const);

test.each(ROWS)('%s: type %s, retryable %s, breaker failure %s', (_, type, retryable, resourceFailure, err) => {
  const c = classifyError(err);
  expect(c).toMatchObject({ type, retryable, resourceFailure });
  expect(isResourceFailure(err)).toBe(resourceFailure);
});

test('errors nobody knows are left to Temporal (retried) and do not count against a breaker', () => {
  expect(classifyError(new Error('something else'))).toBeUndefined();
  expect(classifyError('a string')).toBeUndefined();
  expect(isResourceFailure(new Error('something else'))).toBe(false);
});

test('an error made in another realm (a vm context, a test sandbox) is classified as one made here', () => {
  const foreign = vm.runInNewContext(
    'Object.assign(new Error("connect ECONNREFUSED 127.0.0.1:5432"), { code: "ECONNREFUSED" })',
  ) as unknown;
  expect(foreign instanceof Error).toBe(false);
  expect(classifyError(foreign)).toMatchObject({ type: 'PostgresUnavailable', retryable: true, resourceFailure: true });
});
