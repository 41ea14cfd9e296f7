/**
 * deploy/k8s, checked without a cluster: the worker's environment is settings it reads (ConfigMap and env),
 * probes and scrape configuration hit the metrics port's /readyz, /healthz and /metrics, the termination grace
 * period covers the shutdown grace, the HPA, PDB, Service and ServiceMonitor select the workers, and every
 * secret file a setting names is mounted from a Secret key.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isKnownSetting, loadConfig } from '../../../src/platform/config/config';
import { parseDuration } from '../../../src/model/duration';
import { DEPLOY, readYaml } from '../../helpers/deploy-files';

interface Manifest {
  apiVersion: string;
  kind: string;
  metadata: { name: string; labels?: Record<string, string> };
  [key: string]: unknown;
}
interface Probe {
  httpGet: { path: string; port: string | number };
}
interface Container {
  name: string;
  args?: string[];
  envFrom?: Array<{ configMapRef?: { name: string } }>;
  env?: Array<{ name: string; value?: string }>;
  ports: Array<{ name: string; containerPort: number }>;
  readinessProbe: Probe;
  livenessProbe: Probe;
  startupProbe?: Probe;
  resources: { requests?: Record<string, string>; limits?: Record<string, string> };
  volumeMounts: Array<{ name: string; mountPath: string }>;
}
interface PodSpec {
  terminationGracePeriodSeconds: number;
  securityContext: { runAsNonRoot?: boolean; runAsUser?: number };
  containers: Container[];
  volumes: Array<{ name: string; secret?: { secretName: string }; emptyDir?: object }>;
}

const [kustomization] = readYaml<{ resources: string[] }>('k8s/kustomization.yaml');
const resources = kustomization?.resources ?? [];
const manifests = resources.flatMap((r) => readYaml<Manifest>(path.join('k8s', r)));
const secrets = readYaml<Manifest & { stringData: Record<string, string> }>('k8s/secret.example.yaml');
const byKind = <T extends Manifest>(kind: string): T => {
  const found = manifests.filter((m) => m.kind === kind);
  expect(found).toHaveLength(1);
  return found[0] as T;
};

const deployment = byKind<
  Manifest & {
    spec: {
      selector: { matchLabels: Record<string, string> };
      template: { metadata: { labels: Record<string, string>; annotations: Record<string, string> }; spec: PodSpec };
    };
  }
>('Deployment');
const pod = deployment.spec.template.spec;
const worker = pod.containers.find((c) => c.name === 'worker') as Container;
const configMap = byKind<Manifest & { data: Record<string, string> }>('ConfigMap');
/** The worker's environment: the ConfigMap, then the container's own env. */
const workerEnv: Record<string, string> = {
  ...configMap.data,
  ...Object.fromEntries((worker.env ?? []).map((e) => [e.name, e.value ?? ''])),
};
const metricsPort = Number(workerEnv.PIPEWRIGHT_METRICS_PORT);
const podLabels = deployment.spec.template.metadata.labels;
const selects = (selector: Record<string, string> | undefined, labels: Record<string, string>): boolean =>
  Object.entries(selector ?? {}).length > 0 && Object.entries(selector ?? {}).every(([k, v]) => labels[k] === v);

test('kustomization resources exist; the worker reads the ConfigMap by name', () => {
  for (const r of resources) expect(fs.existsSync(path.join(DEPLOY, 'k8s', r))).toBe(true);
  expect(worker.args).toEqual(['worker']);
  expect(worker.envFrom).toEqual([{ configMapRef: { name: configMap.metadata.name } }]);
});

test('every variable set for the worker is a setting the worker reads, and the non-file ones load', () => {
  const names = Object.keys(workerEnv);
  expect(names.length).toBeGreaterThan(10);
  for (const name of names) expect([name, isKnownSetting(name)]).toEqual([name, true]);
  // Files exist only in the pod: leave them out, check everything else parses.
  const inline = Object.fromEntries(
    Object.entries(workerEnv).filter(
      ([k]) => !k.endsWith('_FILE') && !/^TEMPORAL_TLS_(CA|CERT|KEY)$/.test(k) && k !== 'PIPEWRIGHT_WORKFLOW_BUNDLE',
    ),
  );
  const config = loadConfig(inline);
  expect(config.metrics.port).toBe(metricsPort);
  expect(config.deployment.versioning).toMatchObject({ deploymentName: 'pipewright', buildId: expect.any(String) });
});

test('probes hit /readyz and /healthz on the metrics port; the scrape configuration matches it', () => {
  const port = worker.ports.find((p) => p.name === 'metrics');
  expect(port?.containerPort).toBe(metricsPort);
  expect(workerEnv.PIPEWRIGHT_METRICS_HOST).toBe('0.0.0.0');
  const portOf = (probe: Probe): number =>
    typeof probe.httpGet.port === 'number'
      ? probe.httpGet.port
      : (worker.ports.find((p) => p.name === probe.httpGet.port)?.containerPort as number);
  expect([worker.readinessProbe.httpGet.path, portOf(worker.readinessProbe)]).toEqual(['/readyz', metricsPort]);
  expect([worker.livenessProbe.httpGet.path, portOf(worker.livenessProbe)]).toEqual(['/healthz', metricsPort]);
  if (worker.startupProbe) expect(portOf(worker.startupProbe)).toBe(metricsPort);

  const annotations = deployment.spec.template.metadata.annotations;
  expect(annotations['prometheus.io/scrape']).toBe('true');
  expect(Number(annotations['prometheus.io/port'])).toBe(metricsPort);
  expect(annotations['prometheus.io/path']).toBe('/metrics');

  const service = byKind<
    Manifest & {
      spec: {
        selector: Record<string, string>;
        ports: Array<{ name: string; port: number; targetPort: string | number }>;
      };
    }
  >('Service');
  expect(selects(service.spec.selector, podLabels)).toBe(true);
  const servicePort = service.spec.ports.find((p) => p.name === 'metrics');
  expect(servicePort?.targetPort === 'metrics' || servicePort?.targetPort === metricsPort).toBe(true);
  const monitor = byKind<
    Manifest & {
      spec: { selector: { matchLabels: Record<string, string> }; endpoints: Array<{ port: string; path: string }> };
    }
  >('ServiceMonitor');
  expect(selects(monitor.spec.selector.matchLabels, service.metadata.labels ?? {})).toBe(true);
  expect(monitor.spec.endpoints).toEqual([expect.objectContaining({ port: 'metrics', path: '/metrics' })]);
});

test('the termination grace period is longer than PIPEWRIGHT_SHUTDOWN_GRACE', () => {
  const graceMs = parseDuration(workerEnv.PIPEWRIGHT_SHUTDOWN_GRACE ?? '30s') as number;
  expect(pod.terminationGracePeriodSeconds * 1000).toBeGreaterThanOrEqual(graceMs + 10_000);
});

test('resources, non-root, HPA and PDB on the worker Deployment', () => {
  expect(worker.resources.requests?.cpu).toBeDefined();
  expect(worker.resources.requests?.memory).toBeDefined();
  expect(worker.resources.limits?.memory).toBeDefined();
  expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, runAsUser: 1000 });
  expect(selects(deployment.spec.selector.matchLabels, podLabels)).toBe(true);

  const hpa = byKind<
    Manifest & {
      spec: {
        scaleTargetRef: { kind: string; name: string };
        minReplicas: number;
        maxReplicas: number;
        metrics: Array<{ resource?: { name: string } }>;
      };
    }
  >('HorizontalPodAutoscaler');
  expect(hpa.apiVersion).toBe('autoscaling/v2');
  expect(hpa.spec.scaleTargetRef).toMatchObject({ kind: 'Deployment', name: deployment.metadata.name });
  expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(2);
  expect(hpa.spec.maxReplicas).toBeGreaterThan(hpa.spec.minReplicas);
  expect(hpa.spec.metrics.map((m) => m.resource?.name)).toContain('cpu');

  const pdb = byKind<Manifest & { spec: { minAvailable: number; selector: { matchLabels: Record<string, string> } } }>(
    'PodDisruptionBudget',
  );
  expect(pdb.apiVersion).toBe('policy/v1');
  expect(selects(pdb.spec.selector.matchLabels, podLabels)).toBe(true);
  expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
});

test('every file a setting names (secrets, TLS files) is a key of a Secret mounted at its directory', () => {
  const fileSettings = Object.entries(workerEnv).filter(
    ([k]) => k.endsWith('_FILE') || /^TEMPORAL_TLS_(CA|CERT|KEY)$/.test(k),
  );
  expect(fileSettings.map(([k]) => k).sort()).toEqual([
    'DATABASE_URL_FILE',
    'PIPEWRIGHT_CODEC_KEYS_FILE',
    'TEMPORAL_TLS_CA',
    'TEMPORAL_TLS_CERT',
    'TEMPORAL_TLS_KEY',
  ]);
  for (const [setting, file] of fileSettings) {
    const mount = worker.volumeMounts.find((m) => path.dirname(file) === m.mountPath);
    const volume = pod.volumes.find((v) => v.name === mount?.name);
    const secret = secrets.find((s) => s.metadata.name === volume?.secret?.secretName);
    expect([setting, Object.keys(secret?.stringData ?? {})]).toEqual([
      setting,
      expect.arrayContaining([path.basename(file)]),
    ]);
  }
  // The workflow bundle is the image's encrypted variant, as encrypted payloads need.
  expect(workerEnv.PIPEWRIGHT_WORKFLOW_BUNDLE).toBe('/app/dist/workflow-bundle.encrypted.js');
});
