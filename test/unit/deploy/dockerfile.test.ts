/**
 * deploy/Dockerfile, checked without Docker: every path it copies exists, every command it runs exists (npm
 * scripts, pipewright commands), production dependencies only in the image, the workflow bundle written at build
 * time and named by PIPEWRIGHT_WORKFLOW_BUNDLE, a non-root user, a health check on the metrics port.
 */
import fs from 'node:fs';
import path from 'node:path';
import { isKnownSetting } from '../../../src/platform/config/config';
import { createProgram } from '../../../src/cli/program';
import type { DockerInstruction } from '../../helpers/deploy-files';
import { envOf, readDockerfile } from '../../helpers/deploy-files';
import { ROOT } from '../../helpers/paths';

const instructions = readDockerfile();
const stages = [...new Set(instructions.map((i) => i.stage))];
const finalStage = stages[stages.length - 1] as string;
const inStage = (stage: string): DockerInstruction[] => instructions.filter((i) => i.stage === stage);
const cliCommands = createProgram({
  env: {},
  io: { out: () => undefined, err: () => undefined },
  exitCode: 0,
}).commands.map((c) => c.name());

test('every path copied from the build context exists; every --from names an earlier stage', () => {
  for (const copy of instructions.filter((i) => i.keyword === 'COPY')) {
    const parts = copy.args.split(/\s+/);
    const from = parts.find((p) => p.startsWith('--from='));
    const sources = parts.filter((p) => !p.startsWith('--')).slice(0, -1);
    expect(sources.length).toBeGreaterThan(0);
    if (from) expect(stages.slice(0, stages.indexOf(copy.stage))).toContain(from.slice('--from='.length));
    else for (const source of sources) expect([source, fs.existsSync(path.join(ROOT, source))]).toEqual([source, true]);
  }
});

test('every command it runs exists: npm scripts, npm ci flags, pipewright commands', () => {
  const scripts = (JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as { scripts: object }).scripts;
  const runs = instructions.filter((i) => i.keyword === 'RUN').flatMap((i) => i.args.split('&&').map((c) => c.trim()));
  expect(runs.length).toBeGreaterThan(0);
  for (const run of runs) {
    const npmRun = /^npm run (\S+)/.exec(run);
    if (npmRun) expect(Object.keys(scripts)).toContain(npmRun[1]);
    const cli = /^node bin\/pipewright\.js (\S+)/.exec(run);
    if (cli) expect(cliCommands).toContain(cli[1]);
    expect(run).toMatch(/^(npm (ci|run|cache clean)|node bin\/pipewright\.js )/);
  }
  const cmd = JSON.parse(instructions.find((i) => i.keyword === 'CMD')?.args ?? '[]') as string[];
  expect(cliCommands).toContain(cmd[0]);
  const entrypoint = JSON.parse(instructions.find((i) => i.keyword === 'ENTRYPOINT')?.args ?? '[]') as string[];
  expect(entrypoint).toEqual(['node', 'bin/pipewright.js']);
  expect(fs.existsSync(path.join(ROOT, 'bin', 'pipewright.js'))).toBe(true);
});

test('the image has production dependencies only, prebuilt workflow bundles, and runs as a non-root user', () => {
  expect(stages.length).toBeGreaterThanOrEqual(3);
  const final = inStage(finalStage);
  expect(final.filter((i) => i.keyword === 'RUN')).toEqual([]);
  const nodeModules = final.find((i) => i.keyword === 'COPY' && /\/app\/node_modules/.test(i.args));
  const depsStage = /--from=(\S+)/.exec(nodeModules?.args ?? '')?.[1] as string;
  expect(inStage(depsStage).some((i) => i.keyword === 'RUN' && /npm ci --omit=dev/.test(i.args))).toBe(true);

  // Bundles written at build time under dist/, which the final stage copies; the default one is configured.
  const bundles = [
    ...instructions
      .filter((i) => i.keyword === 'RUN')
      .map((i) => i.args)
      .join(' ')
      .matchAll(/bundle --out (\S+)/g),
  ].map((m) => `/app/${m[1]}`);
  expect(bundles).toEqual(['/app/dist/workflow-bundle.js', '/app/dist/workflow-bundle.encrypted.js']);
  expect(final.some((i) => i.keyword === 'COPY' && /--from=build \/app\/dist \.\/dist/.test(i.args))).toBe(true);
  const env = envOf(final);
  expect(bundles).toContain(env.PIPEWRIGHT_WORKFLOW_BUNDLE);
  for (const name of Object.keys(env).filter((n) => n !== 'NODE_ENV'))
    expect([name, isKnownSetting(name)]).toEqual([name, true]);

  const user = final.find((i) => i.keyword === 'USER')?.args ?? 'root';
  expect(user).toMatch(/^[1-9]\d*(:\d+)?$/);
});

test('the health check and the exposed port are the worker metrics port; /healthz', () => {
  const final = inStage(finalStage);
  const env = envOf(final);
  expect(final.find((i) => i.keyword === 'EXPOSE')?.args).toBe(env.PIPEWRIGHT_METRICS_PORT);
  const health = final.find((i) => i.keyword === 'HEALTHCHECK')?.args ?? '';
  expect(health).toContain('/healthz');
  expect(health).toContain('process.env.PIPEWRIGHT_METRICS_PORT');
  expect(final.find((i) => i.keyword === 'STOPSIGNAL')?.args ?? 'SIGTERM').toBe('SIGTERM');
  // The build context leaves local state out.
  const ignored = fs.readFileSync(path.join(ROOT, '.dockerignore'), 'utf8').split('\n');
  for (const local of ['node_modules', '.tools', '.git', 'dist']) expect(ignored).toContain(local);
});
