/**
 * deploy/prometheus/ checked by promtool (Debian's, installed by `make setup`): the configuration (scrape targets
 * of the compose installation need only be valid syntax here) and the alert rules it loads, and the rules' unit
 * tests with synthetic series (alerts.test.yml). Each alert carries a severity and annotations that name what
 * alerted, uses only metrics that exist, and has cases in alerts.test.yml where it fires and where it does not.
 */
import { readYaml } from '../../helpers/deploy-files';
import { knownMetricNames, metricNamesIn } from '../../helpers/known-metrics';
import { promtool } from '../../helpers/prometheus-bin';
import { PROMETHEUS_DIR, alertRules } from '../../helpers/prometheus-files';

const rules = alertRules();

test('promtool check config: the Prometheus configuration, and the rule files it names', () => {
  const { status, output } = promtool(['check', 'config', 'prometheus.yml'], PROMETHEUS_DIR);
  expect([status, output]).toEqual([0, expect.stringContaining('SUCCESS: 1 rule files found')]);
  expect(output).toContain(`SUCCESS: ${rules.length} rules found`);
});

test('promtool check rules: the alert rules', () => {
  const { status, output } = promtool(['check', 'rules', 'alerts.yml'], PROMETHEUS_DIR);
  expect([status, output]).toEqual([0, expect.stringContaining(`SUCCESS: ${rules.length} rules found`)]);
});

test('promtool test rules: each alert fires when it should and not when it should not', () => {
  const { status, output } = promtool(['test', 'rules', 'alerts.test.yml'], PROMETHEUS_DIR);
  expect([status, output]).toEqual([0, expect.stringContaining('SUCCESS')]);
});

test('the rules the issue asks for, each with a severity, a summary and a description naming what alerted', () => {
  expect(rules.map((r) => r.alert)).toEqual([
    'PipewrightRunFailed',
    'PipewrightCircuitBreakerOpen',
    'PipewrightWorkerNotReady',
    'PipewrightCacheHitRateLow',
    'PipewrightTaskQueueBacklog',
    'PipewrightRejectRatioHigh',
  ]);
  for (const r of rules) {
    expect([r.alert, ['critical', 'warning', 'info'].includes(r.labels?.severity ?? '')]).toEqual([r.alert, true]);
    for (const text of [r.annotations?.summary ?? '', r.annotations?.description ?? ''])
      expect([r.alert, text]).toEqual([
        r.alert,
        expect.stringMatching(/\{\{ \$labels\.(pipeline|instance|cache|task_queue) \}\}/),
      ]);
  }
});

test('every metric an alert uses exists (pipewright, the Temporal SDK, Prometheus)', async () => {
  const known = await knownMetricNames();
  for (const r of rules) {
    const used = metricNamesIn(r.expr, known);
    expect(used.length).toBeGreaterThan(0);
    for (const metric of used) expect([r.alert, metric, known.has(metric)]).toEqual([r.alert, metric, true]);
  }
});

test('alerts.test.yml has, for every alert, a case where it fires and one where it does not', () => {
  const [file] = readYaml<{
    rule_files: string[];
    tests: Array<{ alert_rule_test: Array<{ alertname: string; exp_alerts: unknown[] }> }>;
  }>('prometheus/alerts.test.yml');
  expect(file?.rule_files).toEqual(['alerts.yml']);
  const cases = (file?.tests ?? []).flatMap((t) => t.alert_rule_test);
  for (const r of rules) {
    const mine = cases.filter((c) => c.alertname === r.alert);
    expect([r.alert, mine.some((c) => c.exp_alerts.length > 0), mine.some((c) => c.exp_alerts.length === 0)]).toEqual([
      r.alert,
      true,
      true,
    ]);
  }
});
