/**
 * deploy/docker-compose.yml (and its encryption override), checked without Docker: the workers set only
 * settings the worker reads, Prometheus scrapes their metrics port, grace periods are consistent, every file
 * mounted exists, and the Grafana dashboard uses metrics that exist.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isKnownSetting, loadConfig } from '../../../src/platform/config/config';
import { parseDuration } from '../../../src/model/duration';
import { DEPLOY, envOf, readDockerfile, readYaml } from '../../helpers/deploy-files';
import { knownMetricNames, metricNamesIn } from '../../helpers/known-metrics';
import { dashboardQueries } from '../../helpers/prometheus-files';

interface Service {
  image?: string;
  build?: { context: string; dockerfile: string };
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  ports?: string[];
  secrets?: string[];
  stop_grace_period?: string;
  healthcheck?: { test?: string[] };
}
interface Compose {
  services: Record<string, Service>;
  secrets?: Record<string, { file?: string; environment?: string }>;
}

const [compose] = readYaml<Compose>('docker-compose.yml') as [Compose];
const [encryption] = readYaml<Compose>('docker-compose.encryption.yml') as [Compose];
const imageEnv = envOf(readDockerfile());
const WORKER_IMAGE = 'pipewright-worker:local';
const pipewrightServices = (c: Compose): Array<[string, Service]> =>
  Object.entries(c.services).filter(([, s]) => s.image === WORKER_IMAGE);
const workers = pipewrightServices(compose).filter(([, s]) => s.command?.[0] === 'worker');
/** A worker's settings as the container sees them: the image's ENV, then the compose file's, then the override's. */
const effectiveEnv = (name: string, withEncryption = false): NodeJS.ProcessEnv => ({
  ...imageEnv,
  ...compose.services[name]?.environment,
  ...(withEncryption ? encryption.services[name]?.environment : {}),
});

test('two workers built from deploy/Dockerfile; every variable set for a pipewright container is a setting', () => {
  expect(workers.map(([name]) => name)).toEqual(['worker-1', 'worker-2']);
  for (const [, s] of workers) {
    expect(s.build).toEqual({ context: '..', dockerfile: 'deploy/Dockerfile' });
    expect(fs.existsSync(path.join(DEPLOY, s.build?.context ?? '', s.build?.dockerfile ?? ''))).toBe(true);
  }
  const pipewright = new Set([...pipewrightServices(compose), ...pipewrightServices(encryption)].map(([n]) => n));
  const envs = [compose, encryption].flatMap((c) =>
    Object.entries(c.services)
      .filter(([name]) => pipewright.has(name))
      .flatMap(([, s]) => Object.keys(s.environment ?? {})),
  );
  expect(envs.length).toBeGreaterThan(10);
  for (const name of envs) expect([name, isKnownSetting(name)]).toEqual([name, true]);
  expect(pipewrightServices(encryption).map(([n]) => n)).toEqual(['codec-server']);
});

test('the worker settings load (apart from files only inside the containers)', () => {
  for (const [name] of workers) {
    const config = loadConfig({ ...effectiveEnv(name), PIPEWRIGHT_WORKFLOW_BUNDLE: '' });
    expect(config.temporal.address).toBe('temporal:7233');
    expect(config.db.url).toMatch(/@postgresql:5432\//);
  }
});

test('Prometheus scrapes every worker on its metrics port, and Temporal; services named exist', () => {
  const [prometheus] = readYaml<{
    scrape_configs: Array<{ job_name: string; metrics_path?: string; static_configs: Array<{ targets: string[] }> }>;
  }>('prometheus/prometheus.yml');
  const jobs = Object.fromEntries((prometheus?.scrape_configs ?? []).map((j) => [j.job_name, j]));
  const workerJob = jobs['pipewright-worker'];
  expect(workerJob?.metrics_path ?? '/metrics').toBe('/metrics');
  const targets = workerJob?.static_configs.flatMap((c) => c.targets) ?? [];
  expect(targets).toEqual(workers.map(([name]) => `${name}:${effectiveEnv(name).PIPEWRIGHT_METRICS_PORT}`));
  for (const [name] of workers) expect(effectiveEnv(name).PIPEWRIGHT_METRICS_HOST).toBe('0.0.0.0');
  const temporalTarget = jobs.temporal?.static_configs[0]?.targets[0] ?? '';
  expect(compose.services.temporal?.environment?.PROMETHEUS_ENDPOINT).toBe(`0.0.0.0:${temporalTarget.split(':')[1]}`);
  for (const target of [...targets, temporalTarget])
    expect(Object.keys(compose.services)).toContain(target.split(':')[0]);
  // The configuration's folder is mounted whole, so its rule files (named relative to it) are there too.
  const service = compose.services.prometheus as Service;
  const configFile = (service.command ?? []).find((a) => a.startsWith('--config.file='))?.split('=')[1] ?? '';
  expect(service.volumes).toContain(`./prometheus:${path.posix.dirname(configFile)}:ro`);
  expect(path.posix.basename(configFile)).toBe('prometheus.yml');
});

test('the stop grace period is longer than the worker shutdown grace', () => {
  for (const [name, s] of workers) {
    const grace = parseDuration(effectiveEnv(name).PIPEWRIGHT_SHUTDOWN_GRACE ?? '30s') as number;
    const stop = parseDuration(s.stop_grace_period ?? '10s') as number;
    expect(stop).toBeGreaterThanOrEqual(grace + 10_000);
  }
});

test('every file or directory the compose files mount exists', () => {
  const mounts = [compose, encryption].flatMap((c) =>
    Object.values(c.services).flatMap((s) => (s.volumes ?? []).map((v) => v.split(':')[0] as string)),
  );
  const hostPaths = mounts.filter((m) => m.startsWith('.'));
  expect(hostPaths.length).toBeGreaterThanOrEqual(5);
  for (const p of hostPaths) expect([p, fs.existsSync(path.join(DEPLOY, p))]).toEqual([p, true]);
  for (const secret of Object.values({ ...compose.secrets, ...encryption.secrets }))
    if (secret.file) expect(fs.existsSync(path.join(DEPLOY, secret.file))).toBe(true);
});

test('encryption: workers and the codec endpoint read the same secret file; the UI calls the endpoint', () => {
  const secretFile = '/run/secrets/codec_keys';
  expect(encryption.secrets?.codec_keys).toEqual({ environment: 'PIPEWRIGHT_CODEC_KEYS' });
  for (const [name] of workers) {
    const env = effectiveEnv(name, true);
    expect(env.PIPEWRIGHT_CODEC_KEYS_FILE).toBe(secretFile);
    expect(encryption.services[name]?.secrets).toEqual(['codec_keys']);
    // A prebuilt bundle the image writes, with encrypted failures.
    expect(env.PIPEWRIGHT_WORKFLOW_BUNDLE).toBe('/app/dist/workflow-bundle.encrypted.js');
  }
  const codec = encryption.services['codec-server'] as Service;
  expect(codec.command).toEqual(['codec-server']);
  expect(codec.environment?.PIPEWRIGHT_CODEC_KEYS_FILE).toBe(secretFile);
  const port = codec.environment?.PIPEWRIGHT_CODEC_PORT;
  expect(codec.ports).toEqual([`127.0.0.1:${port}:${port}`]);
  expect(encryption.services['temporal-ui']?.environment?.TEMPORAL_CODEC_ENDPOINT).toBe(
    `http://localhost:${port}/codec`,
  );
  const uiPort = (compose.services['temporal-ui']?.ports?.[0] ?? '').split(':')[0];
  expect(codec.environment?.PIPEWRIGHT_CODEC_CORS_ORIGINS).toBe(`http://localhost:${uiPort}`);
  // This UI has no login, hence no access token to pass: the endpoint runs open, on the host's loopback only, and
  // its health check needs no credentials either way.
  expect(codec.environment?.PIPEWRIGHT_CODEC_AUTH).toBe('none');
  const codecConfig = loadConfig({
    ...codec.environment,
    PIPEWRIGHT_CODEC_KEYS_FILE: '',
    PIPEWRIGHT_CODEC_KEYS: `k:${'A'.repeat(43)}=`,
  });
  expect(codecConfig.codecServer.auth).toEqual({ kind: 'none' });
  expect(JSON.stringify(codec.healthcheck)).toContain(`http://127.0.0.1:${port}/healthz`);
});

test('Grafana: provisioned datasource and dashboard; every metric in a panel exists', async () => {
  const [datasources] = readYaml<{ datasources: Array<{ uid: string; url: string }> }>(
    'grafana/provisioning/datasources/prometheus.yml',
  );
  expect(datasources?.datasources[0]?.url).toBe('http://prometheus:9090');
  const [providers] = readYaml<{ providers: Array<{ options: { path: string } }> }>(
    'grafana/provisioning/dashboards/pipewright.yml',
  );
  const grafanaMounts = Object.fromEntries(
    (compose.services.grafana?.volumes ?? []).map((v) => [v.split(':')[1], v.split(':')[0]]),
  );
  const dashboardsDir = grafanaMounts[providers?.providers[0]?.options.path ?? ''] as string;
  expect(dashboardsDir).toBe('./grafana/dashboards');

  const dashboard = JSON.parse(fs.readFileSync(path.join(DEPLOY, dashboardsDir, 'pipewright.json'), 'utf8')) as {
    panels: Array<{ title: string; datasource: { uid: string }; targets: Array<{ expr: string }> }>;
  };
  // The metric names the SDK and the server really export: test/integration/deploy/prometheus.live.test.ts.
  const known = await knownMetricNames();
  const used = new Set<string>();
  for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(datasources?.datasources[0]?.uid);
  for (const q of dashboardQueries()) for (const m of metricNamesIn(q.expr, known)) used.add(m);
  for (const metric of used) expect([metric, known.has(metric)]).toEqual([metric, true]);
  const titles = dashboard.panels.map((p) => p.title.toLowerCase()).join(' | ');
  for (const topic of ['rows/s', 'latency', 'breaker', 'cache hit rate', 'backlog']) expect(titles).toContain(topic);
});
