/** The CLI in process (no Temporal needed): usage errors, invalid input, unreachable server, help. */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../src/cli/cli';
import { describeError } from '../../src/cli/errors';
import { RunNotFoundError, TemporalUnreachableError } from '../../src/client/errors';

async function run(args: string[], env: NodeJS.ProcessEnv = {}) {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runCli(['node', 'pipewright', ...args], { out: (t) => out.push(t), err: (t) => err.push(t) }, env);
  return { code, out: out.join('\n'), err: err.join('\n') };
}

let dir: string;
beforeAll(() => (dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-unit-'))));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

test('validate lists every problem with its path and exits 2', async () => {
  const file = path.join(dir, 'bad.yaml');
  fs.writeFileSync(
    file,
    'name: x\nnodes:\n  - { id: a, type: noop, needs: [b] }\n  - { id: b, type: noop, needs: [a], extra: 1 }\n',
  );
  const r = await run(['validate', file]);
  expect(r.code).toBe(2);
  expect(r.out).toContain(`${file}: invalid pipeline definition (2 problems)`);
  expect(r.out).toContain('nodes[1]: Unrecognized key(s) in object');
  expect(r.out).toContain('cycle through nodes a -> b -> a');
});

test('a bad YAML file, a bad option and an unknown command exit 2 with a usage hint', async () => {
  const file = path.join(dir, 'broken.yaml');
  fs.writeFileSync(file, 'name: [unclosed\n');
  expect((await run(['validate', file])).err).toContain('is not valid YAML');
  const badOption = await run(['run', file, '--parallelism', '0']);
  expect(badOption.code).toBe(2);
  expect(badOption.err).toContain("option '--parallelism <n>' argument '0' is invalid");
  expect((await run(['explode'])).code).toBe(2);
  expect((await run(['list', '--state', 'sleepy'])).err).toContain('use one of running, paused');
});

test('help and version exit 0', async () => {
  const help = await run(['--help']);
  expect(help.code).toBe(0);
  for (const command of [
    'validate',
    'run',
    'start',
    'status',
    'graph',
    'pause',
    'resume',
    'cancel',
    'list',
    'worker',
    'dev',
    'demo',
  ])
    expect(help.out).toContain(`  ${command} `);
  expect((await run(['--version'])).out).toMatch(/^\d+\.\d+\.\d+$/);
});

test('an unreachable server is one line with what to do, exit 3', async () => {
  const r = await run(['status', 'x--y', '--address', '127.0.0.1:1']);
  expect(r.code).toBe(3);
  expect(r.err).toBe(
    'cannot reach Temporal at 127.0.0.1:1: start it with `pipewright dev` or set TEMPORAL_ADDRESS (connection refused)',
  );
});

test('a bad setting names the variable, exit 2', async () => {
  const r = await run(['list'], { PIPEWRIGHT_LOG_LEVEL: 'LOUD' });
  expect(r.code).toBe(2);
  expect(r.err).toContain('PIPEWRIGHT_LOG_LEVEL');
});

test('errors map to exit codes; unknown ones keep their message, never a stack', () => {
  expect(describeError(new TemporalUnreachableError('h:1', 'refused')).exitCode).toBe(3);
  expect(describeError(new RunNotFoundError('a--b', 'default'))).toEqual({
    message: 'no run with workflow id "a--b" in namespace "default": check the id with `pipewright list`',
    exitCode: 1,
  });
  expect(describeError(new Error('boom'))).toEqual({ message: 'error: boom', exitCode: 1 });
});

test('validate --explain shows the columns a source.csv header makes, before any run', async () => {
  const csv = path.join(dir, 'birds.csv');
  fs.writeFileSync(csv, 'Airport Name,Cost Total $,id\r\nX,1,2\r\n');
  const file = path.join(dir, 'explain.yaml');
  fs.writeFileSync(
    file,
    `name: explain\nnodes:\n  - { id: birds, type: source.csv, params: { path: ${JSON.stringify(csv)} } }\n` +
      `  - { id: gone, type: source.csv, params: { path: ${JSON.stringify(path.join(dir, 'none.csv'))} } }\n` +
      `  - { id: strict, type: source.csv, params: { path: ${JSON.stringify(csv)}, headers: strict } }\n`,
  );
  const r = await run(['validate', file, '--explain']);
  expect(r.code).toBe(0);
  expect(r.out).toContain(`node "birds" (source.csv) reads ${csv}: 3 columns`);
  expect(r.out).toContain('  airport_name text  <- header "Airport Name"');
  expect(r.out).toContain('  cost_total text  <- header "Cost Total $"');
  expect(r.out).toMatch(/ {2}id text\n/);
  expect(r.out).toContain('node "gone" (source.csv) reads');
  expect(r.out).toContain('not read here: node "gone": input file');
  expect(r.out).toMatch(/node "strict" .*problem: .*header name "Airport Name" cannot be a column name/);
  const json = JSON.parse((await run(['validate', file, '--explain', '--json'])).out) as {
    explain: Array<{ node: string; columns?: Array<{ name: string; header?: string }> }>;
  };
  expect(json.explain[0]?.columns?.[1]).toEqual({ name: 'cost_total', type: 'text', header: 'Cost Total $' });
});
