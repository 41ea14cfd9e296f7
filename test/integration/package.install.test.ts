/**
 * pipewright as a user's dependency: `npm pack` of this checkout, installed with `npm install <tarball> --omit=dev`
 * into a fresh project outside it. There the CLI validates, a worker started with `npx pipewright worker` finds its
 * workflow bundle and migrations and runs a pipeline that `npx pipewright run` starts, TypeScript compiles against
 * the package's types (its exports map, with a client-only subpath that loads no worker code), and the example
 * user node type, importing from 'pipewright', works as a node module.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestData, type TestData } from '../helpers/data';
import { ROOT } from '../helpers/paths';
import { uniqueId } from '../helpers/temporal';
import { spawnWorkerProcess } from '../helpers/worker-process';

let project: string;
let d: TestData;
const address = () => process.env.PIPEWRIGHT_TEST_TEMPORAL_ADDRESS as string;
const BIN = () => path.join(project, 'node_modules', '.bin', 'pipewright');

beforeAll(async () => {
  d = await createTestData('pkg');
  project = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-user-project-'));
  const packed = execFileSync('npm', ['pack', '--silent', '--pack-destination', project], {
    cwd: ROOT,
    encoding: 'utf8',
  });
  const tarball = path.join(project, packed.trim().split('\n').pop() as string);
  fs.writeFileSync(path.join(project, 'package.json'), JSON.stringify({ name: 'user-project', private: true }));
  // From the npm cache this machine's own install filled; nothing outside the npm registry.
  execFileSync('npm', ['install', tarball, '--omit=dev', '--prefer-offline', '--no-audit', '--no-fund'], {
    cwd: project,
    stdio: 'ignore',
  });
}, 240_000);
afterAll(async () => {
  await d?.drop();
  if (project) fs.rmSync(project, { recursive: true, force: true });
});

const cli = (args: readonly string[], env: Record<string, string> = {}) =>
  spawnSync(BIN(), args, { cwd: project, encoding: 'utf8', env: { ...process.env, ...env } });

test('the installed package has its built CLI, bundle and migrations, and no dev dependency', () => {
  const installed = path.join(project, 'node_modules', 'pipewright');
  for (const f of ['dist/src/cli/main.js', 'dist/workflow-bundle.js', 'src/sql/migrations/001_load_ledger.sql'])
    expect(fs.existsSync(path.join(installed, f))).toBe(true);
  expect(fs.existsSync(path.join(installed, 'src', 'cli'))).toBe(false);
  for (const dev of ['ts-node', 'jest', 'typescript'])
    expect(fs.existsSync(path.join(project, 'node_modules', dev))).toBe(false);
});

test('npx pipewright validates a definition, and refuses a bad one with exit 2', () => {
  fs.copyFileSync(path.join(ROOT, 'examples', 'fanout.yaml'), path.join(project, 'fanout.yaml'));
  const ok = cli(['validate', 'fanout.yaml']);
  expect([ok.status, ok.stdout.trim()]).toEqual([0, 'fanout.yaml: fanout-demo@1 is valid (8 nodes)']);
  fs.writeFileSync(path.join(project, 'bad.yaml'), 'name: bad\nnodes:\n  - { id: a, type: nope }\n');
  const bad = cli(['validate', 'bad.yaml']);
  expect(bad.status).toBe(2);
  expect(bad.stdout + bad.stderr).toMatch(/nodes\[0\]\.type.*nope/);
});

test('TypeScript compiles against the package (exports map, types); the client subpath loads no worker code', () => {
  const source = fs
    .readFileSync(path.join(ROOT, 'examples', 'nodes', 'line-count.ts'), 'utf8')
    .replace("from '../../src/nodes/node-type'", "from 'pipewright'");
  fs.writeFileSync(path.join(project, 'line-count.ts'), source);
  fs.writeFileSync(
    path.join(project, 'app.ts'),
    [
      "import { PipewrightClient, defineNodeType, createPipewrightWorker, z } from 'pipewright';",
      "import { PipewrightClient as ClientOnly } from 'pipewright/client';",
      "import { runWorker } from 'pipewright/worker';",
      "import { lineCount } from './line-count';",
      "export const node = defineNodeType({ name: 'hello', params: z.object({}), async run() { return {}; } });",
      'export const all = [PipewrightClient, ClientOnly, createPipewrightWorker, runWorker, lineCount.name];',
      '',
    ].join('\n'),
  );
  fs.writeFileSync(
    path.join(project, 'tsconfig.json'),
    JSON.stringify({
      compilerOptions: {
        module: 'node16',
        moduleResolution: 'node16',
        target: 'ES2022',
        strict: true,
        skipLibCheck: true,
        outDir: 'out',
        typeRoots: [path.join(ROOT, 'node_modules', '@types')],
        types: ['node'],
      },
      files: ['app.ts', 'line-count.ts'],
    }),
  );
  const tsc = spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', '.'], {
    cwd: project,
    encoding: 'utf8',
  });
  expect(tsc.stdout + tsc.stderr).toBe('');
  expect(tsc.status).toBe(0);
  const loaded = spawnSync(
    process.execPath,
    [
      '-e',
      "require('pipewright/client'); console.log(Object.keys(require.cache).some((k) => k.includes('@temporalio/worker')))",
    ],
    { cwd: project, encoding: 'utf8' },
  );
  expect(loaded.stdout.trim()).toBe('false');
});

test('npx pipewright worker (with the example node module) runs what npx pipewright run starts', async () => {
  expect(fs.existsSync(path.join(project, 'out', 'line-count.js'))).toBe(true); // compiled by the test above
  const taskQueue = uniqueId('tq-pkg');
  const env = {
    PIPEWRIGHT_NODE_MODULES: './out/line-count.js',
    PIPEWRIGHT_DB_SCHEMA: d.schema,
    PIPEWRIGHT_STAGING_SCHEMA: d.stagingSchema,
  };
  const worker = spawnWorkerProcess(
    address(),
    taskQueue,
    { ...env, PIPEWRIGHT_LOG_LEVEL: 'INFO' },
    {
      args: [BIN(), 'worker'],
      cwd: project,
    },
  );
  try {
    await worker.ready;
    // The deployment line (which bundle) comes right after the polling line.
    const bundle = path.join('node_modules', 'pipewright', 'dist', 'workflow-bundle.js');
    for (let i = 0; i < 50 && !worker.output().includes('workflow bundle'); i++)
      await new Promise((r) => setTimeout(r, 100));
    expect(worker.output()).toContain(bundle);
    fs.writeFileSync(path.join(project, 'words.txt'), 'one two\nthree\n');
    fs.writeFileSync(
      path.join(project, 'count.yaml'),
      [
        'name: count',
        'nodes:',
        '  - { id: count, type: line-count, params: { path: words.txt } }',
        '  - { id: done, type: noop, needs: [count] }',
        '',
      ].join('\n'),
    );
    const run = cli(['run', 'count.yaml', '--no-watch'], {
      ...env,
      TEMPORAL_ADDRESS: address(),
      PIPEWRIGHT_TASK_QUEUE: taskQueue,
    });
    expect(run.status).toBe(0);
    const id = /started (\S+)/.exec(run.stdout)?.[1] as string;
    const status = await untilEnded(id, { ...env, TEMPORAL_ADDRESS: address(), PIPEWRIGHT_TASK_QUEUE: taskQueue });
    expect(status.state).toBe('completed');
    expect(status.nodes[0]?.output?.stats).toMatchObject({ lines: 2, words: 3 });
  } finally {
    worker.child.kill('SIGTERM');
    await worker.exited;
  }
}, 120_000);

async function untilEnded(
  id: string,
  env: Record<string, string>,
): Promise<{ state: string; nodes: Array<{ output?: { stats?: Record<string, number> } }> }> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const r = cli(['status', id, '--json'], env);
    if (r.status === 0) {
      const status = JSON.parse(r.stdout) as { state: string; nodes: [] };
      if (['completed', 'failed', 'cancelled'].includes(status.state)) return status;
    }
    if (Date.now() > deadline) throw new Error(`run ${id} did not end: ${r.stdout}${r.stderr}`);
    await new Promise((resolve) => setTimeout(resolve, 300));
  }
}
