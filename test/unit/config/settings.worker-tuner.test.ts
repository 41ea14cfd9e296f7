/** The worker's activity admission settings: fixed slots by default, or the resource-based tuner's targets. */
import { ConfigError, loadConfig } from '../../../src/platform/config/config';

test('fixed slots by default, PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES of them', () => {
  expect(loadConfig({}).activitySlots).toEqual({ kind: 'fixed', slots: 100 });
  expect(loadConfig({ PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES: '8' }).activitySlots).toEqual({ kind: 'fixed', slots: 8 });
});

test('resource: the targets and the slot range', () => {
  expect(
    loadConfig({
      PIPEWRIGHT_WORKER_TUNER: 'resource',
      PIPEWRIGHT_TUNER_TARGET_MEMORY: '0.6',
      PIPEWRIGHT_MAX_CONCURRENT_ACTIVITIES: '20',
    }).activitySlots,
  ).toEqual({ kind: 'resource', targetMemory: 0.6, targetCpu: 0.9, minimum: 1, maximum: 20 });
});

test('a bad tuner setting is named', () => {
  const bad = (env: NodeJS.ProcessEnv): string => {
    try {
      loadConfig(env);
      return '';
    } catch (err) {
      expect(err).toBeInstanceOf(ConfigError);
      return (err as Error).message;
    }
  };
  expect(bad({ PIPEWRIGHT_WORKER_TUNER: 'auto' })).toMatch(/PIPEWRIGHT_WORKER_TUNER/);
  expect(bad({ PIPEWRIGHT_TUNER_TARGET_MEMORY: '1.5' })).toMatch(/PIPEWRIGHT_TUNER_TARGET_MEMORY/);
  expect(bad({ PIPEWRIGHT_TUNER_MIN_ACTIVITIES: '0' })).toMatch(/PIPEWRIGHT_TUNER_MIN_ACTIVITIES/);
});
