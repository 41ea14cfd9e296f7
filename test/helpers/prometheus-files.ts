/**
 * The PromQL of the deployment: pipewright's alert rules (deploy/prometheus/alerts.yml) and every query of the Grafana
 * dashboard (its panels' targets and its variables), read from the files so that a test sees what Prometheus and
 * Grafana would.
 */
import fs from 'node:fs';
import path from 'node:path';
import { DEPLOY, readYaml } from './deploy-files';

export const PROMETHEUS_DIR = path.join(DEPLOY, 'prometheus');
export const PROMETHEUS_CONFIG = path.join(PROMETHEUS_DIR, 'prometheus.yml');
export const ALERT_RULES = path.join(PROMETHEUS_DIR, 'alerts.yml');
export const ALERT_RULE_TESTS = path.join(PROMETHEUS_DIR, 'alerts.test.yml');
export const DASHBOARD = path.join(DEPLOY, 'grafana', 'dashboards', 'pipewright.json');

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  readonly for?: string;
  readonly labels?: Record<string, string>;
  readonly annotations?: Record<string, string>;
}

export function alertRules(): AlertRule[] {
  const [file] = readYaml<{ groups: Array<{ name: string; rules: AlertRule[] }> }>('prometheus/alerts.yml');
  return (file?.groups ?? []).flatMap((g) => g.rules);
}

/** One query of the dashboard, as Grafana sends it with every variable at its "All" value. */
export interface DashboardQuery {
  /** `<panel title> <refId>`, or `variable <name>`. */
  readonly key: string;
  readonly expr: string;
  /** For a variable (`label_values(<expr>, <label>)`): the label whose values it lists. */
  readonly label?: string;
}

interface Dashboard {
  templating: { list: Array<{ name: string; allValue?: string; query: { query: string } | string }> };
  panels: Array<{ title: string; targets?: Array<{ refId: string; expr: string }> }>;
}

export function dashboardQueries(): DashboardQuery[] {
  const dashboard = JSON.parse(fs.readFileSync(DASHBOARD, 'utf8')) as Dashboard;
  const variables = dashboard.templating.list;
  // Grafana writes `$name`, `${name}` and `${name:format}`; a multi-value variable at "All" becomes its allValue.
  const expand = (expr: string): string =>
    variables.reduce(
      (e, v) => e.replace(new RegExp(`\\$\\{${v.name}(?::\\w+)?\\}|\\$${v.name}\\b`, 'g'), v.allValue ?? '.*'),
      expr,
    );
  const fromVariables = variables.map((v) => {
    const query = typeof v.query === 'string' ? v.query : v.query.query;
    const m = /^label_values\((.+),\s*(\w+)\)$/.exec(query.trim());
    if (!m) throw new Error(`dashboard variable ${v.name}: not label_values(<query>, <label>): ${query}`);
    return { key: `variable ${v.name}`, expr: expand(m[1] as string), label: m[2] as string };
  });
  const fromPanels = dashboard.panels.flatMap((p) =>
    (p.targets ?? []).map((t) => ({ key: `${p.title} ${t.refId}`, expr: expand(t.expr) })),
  );
  return [...fromVariables, ...fromPanels];
}
