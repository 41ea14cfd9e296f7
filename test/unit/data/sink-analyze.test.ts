/** When sink.postgres runs ANALYZE after its load: the `analyze` param (default auto) and the auto rule. */
import { shouldAnalyze } from '../../../src/data/load/analyze';
import { SinkPostgresParams } from '../../../src/model/nodes/sink-postgres';

test('analyze defaults to auto and takes always or never only', () => {
  expect(SinkPostgresParams.parse({ table: 't' }).analyze).toBe('auto');
  expect(SinkPostgresParams.parse({ table: 't', analyze: 'never' }).analyze).toBe('never');
  expect(SinkPostgresParams.safeParse({ table: 't', analyze: 'sometimes' }).success).toBe(false);
});

test('auto: more than 10% of the estimate, or a table never analyzed or empty (estimate -1 or 0), with rows written', () => {
  expect(shouldAnalyze('auto', 50, -1)).toBe(true);
  expect(shouldAnalyze('auto', 50, 0)).toBe(true);
  expect(shouldAnalyze('auto', 1_001, 10_000)).toBe(true);
  expect(shouldAnalyze('auto', 1_000, 10_000)).toBe(false);
  expect(shouldAnalyze('auto', 0, -1)).toBe(false);
  expect(shouldAnalyze('always', 0, 10_000)).toBe(true);
  expect(shouldAnalyze('never', 50, -1)).toBe(false);
});
