/** The time-skipping test server (from .tools/, no download) for the file's tests, started once and torn down. */
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime } from '@temporalio/worker';
import { TEMPORAL_TEST_SERVER_BIN } from './paths';

/** Registers beforeAll/afterAll hooks; the returned getter gives the environment inside tests. */
export function useTimeSkippingEnv(): () => TestWorkflowEnvironment {
  let env: TestWorkflowEnvironment | undefined;
  beforeAll(async () => {
    Runtime.install({ logger: new DefaultLogger('ERROR') });
    env = await TestWorkflowEnvironment.createTimeSkipping({
      server: { executable: { type: 'existing-path', path: TEMPORAL_TEST_SERVER_BIN } },
    });
  });
  afterAll(() => env?.teardown());
  return () => {
    if (!env) throw new Error('the time-skipping test server has not started');
    return env;
  };
}
