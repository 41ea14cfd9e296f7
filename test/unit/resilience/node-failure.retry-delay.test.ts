/**
 * The activity layer's failures: classified type and retryability, the node's nonRetryableErrorTypes kept
 * non-retryable, and nextRetryDelay from the jittered backoff, an open breaker, or a server's Retry-After.
 */
import { ApplicationFailure } from '@temporalio/common';
import { asNodeFailure } from '../../../activities/node-failure';
import type { ResolvedRetry } from '../../../src/model/options';
import { HttpStatusError } from '../../../src/platform/resilience/errors';
import { CircuitOpenError } from '../../../src/platform/resilience/errors';

const details = { attempt: 3, nodeId: 'load' };
const retry: ResolvedRetry = {
  initialIntervalMs: 1_000,
  backoffCoefficient: 2,
  maximumIntervalMs: 30_000,
  maximumAttempts: 10,
  nonRetryableErrorTypes: ['PostgresUnavailable'],
  jitter: 0.5,
};
const refused = () => Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const unreachable = () => Object.assign(new Error('connect ENETUNREACH'), { code: 'ENETUNREACH' });

test('a retryable error gets the jittered delay of the attempt that failed', () => {
  const f = asNodeFailure(unreachable(), details, { attempt: 3, retry, random: () => 0.5 });
  expect(f).toMatchObject({ type: 'ConnectionFailed', nonRetryable: false, nextRetryDelay: 3_000 });
  expect(f.details).toEqual([details]);
  expect(f.message).toContain('node "load"');
});

test('without jitter (or without the policy) Temporal keeps choosing the delay', () => {
  expect(
    asNodeFailure(unreachable(), details, { attempt: 3, retry: { ...retry, jitter: 0 } }).nextRetryDelay,
  ).toBeUndefined();
  expect(asNodeFailure(unreachable(), details).nextRetryDelay).toBeUndefined();
});

test("a type listed in the node's nonRetryableErrorTypes stays non-retryable, with no delay", () => {
  const f = asNodeFailure(refused(), details, { attempt: 1, retry, random: () => 0 });
  expect(f).toMatchObject({ type: 'PostgresUnavailable', nonRetryable: true });
  expect(f.nextRetryDelay).toBeUndefined();
  const app = ApplicationFailure.create({ type: 'PostgresUnavailable', message: 'x', nextRetryDelay: 500 });
  expect(asNodeFailure(app, details, { attempt: 1, retry })).toMatchObject({ nonRetryable: true });
});

test('errors that cannot be fixed by a retry are non-retryable whatever the policy', () => {
  const constraint = Object.assign(new Error('duplicate key value'), { code: '23505' });
  const f = asNodeFailure(constraint, details, { attempt: 1, retry, random: () => 0 });
  expect(f).toMatchObject({ type: 'PostgresConstraintViolation', nonRetryable: true });
  expect(f.nextRetryDelay).toBeUndefined();
  expect(asNodeFailure(new HttpStatusError('https://x/y', 401, 'Unauthorized'), details)).toMatchObject({
    type: 'AuthenticationFailed',
    nonRetryable: true,
  });
});

test('an open breaker is a retryable CircuitOpen failure that waits until half-open, plus jitter', () => {
  const open = new CircuitOpenError('postgres://h:5432/db', 4_000, 10_000);
  const f = asNodeFailure(open, details, { attempt: 2, retry, random: () => 0.5 });
  // 4s until half-open, plus half of max(jitter 0.5, 10%) of the 10s reset timeout.
  expect(f).toMatchObject({ type: 'CircuitOpen', nonRetryable: false, nextRetryDelay: 6_500 });
  expect(f.message).toContain('circuit breaker for postgres://h:5432/db is open');
  // Found through a cause chain, too.
  const wrapped = new Error('load failed', { cause: open });
  expect(asNodeFailure(wrapped, details, { attempt: 2, retry, random: () => 0 })).toMatchObject({
    type: 'CircuitOpen',
    nextRetryDelay: 4_000,
  });
});

test("a server's Retry-After is taken as the delay", () => {
  const busy = new HttpStatusError('https://x/y', 429, 'Too Many Requests', 7_000);
  expect(asNodeFailure(busy, details, { attempt: 1, retry })).toMatchObject({
    type: 'HttpUnavailable',
    nonRetryable: false,
    nextRetryDelay: 7_000,
  });
});

test('an ApplicationFailure keeps its type, retryability and its own delay', () => {
  const own = ApplicationFailure.create({ type: 'Mine', message: 'x', nextRetryDelay: 1234 });
  expect(asNodeFailure(own, details, { attempt: 1, retry, random: () => 0.9 })).toMatchObject({
    type: 'Mine',
    nextRetryDelay: 1234,
  });
  const plain = ApplicationFailure.create({ type: 'Mine', message: 'x' });
  expect(asNodeFailure(plain, details, { attempt: 1, retry, random: () => 0 }).nextRetryDelay).toBe(1_000);
  expect(asNodeFailure(ApplicationFailure.nonRetryable('no', 'Mine'), details, { attempt: 1, retry })).toMatchObject({
    nonRetryable: true,
  });
});
