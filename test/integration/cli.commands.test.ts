/**
 * The `pipewright` CLI as a user runs it: a child process (`node bin/pipewright.js ...`), real exit codes, against
 * the tests' Temporal server and this file's worker.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PipewrightClient } from '../../src/client/client';
import { RunNotFoundError } from '../../src/client/errors';
import type { RunStatus } from '../../src/model/state';
import { registerStaging } from '../../src/data/tables/staging';
import { createTestData } from '../helpers/data';
import { ROOT } from '../helpers/paths';
import type { TemporalHarness } from '../helpers/temporal';
import { connectHarness, uniqueId } from '../helpers/temporal';

const BIN = path.join(ROOT, 'bin', 'pipewright.js');

let h: TemporalHarness;
let pw: PipewrightClient;
let dir: string;
beforeAll(async () => {
  h = await connectHarness('cli');
  await h.startWorker();
  pw = new PipewrightClient(h.client, { taskQueue: h.taskQueue });
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pipewright-cli-'));
});
afterAll(async () => {
  await h.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

interface CliResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

function cli(args: readonly string[], env: Record<string, string> = {}): Promise<CliResult> {
  const child = spawn(process.execPath, [BIN, ...args], {
    cwd: ROOT,
    env: {
      ...process.env,
      TEMPORAL_ADDRESS: h.address,
      PIPEWRIGHT_TASK_QUEUE: h.taskQueue,
      PIPEWRIGHT_UI_BASE: '',
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
  child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
  return new Promise((resolve) => child.on('close', (code) => resolve({ code, stdout, stderr })));
}

function writeDefinition(name: string, definition: unknown): string {
  const file = path.join(dir, `${name}.json`);
  fs.writeFileSync(file, JSON.stringify(definition));
  return file;
}

const small = (name: string) => ({
  name,
  nodes: [
    { id: 'first', type: 'sleep', params: { duration: '200ms' } },
    { id: 'second', type: 'noop', needs: ['first'] },
  ],
});

async function untilStatus(workflowId: string, predicate: (s: RunStatus) => boolean): Promise<RunStatus> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const s = await pw.status(workflowId).catch(() => undefined);
    if (s && predicate(s)) return s;
    if (Date.now() > deadline) throw new Error(`condition not met; last status ${JSON.stringify(s)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

test('validate of an invalid file prints every problem with its path and exits 2', async () => {
  const file = path.join(dir, 'invalid.yaml');
  fs.writeFileSync(
    file,
    [
      'name: broken',
      'defaults: { parallelism: 0 }',
      'nodes:',
      '  - { id: a, type: sleep, params: {} }',
      '  - { id: a, type: mystery }',
      '  - { id: c, type: noop, needs: [d] }',
      '  - { id: d, type: noop, needs: [c, ghost] }',
    ].join('\n'),
  );
  const r = await cli(['validate', file]);
  expect(r.code).toBe(2);
  for (const where of [
    'defaults.parallelism',
    'nodes[0].params.duration',
    'nodes[1].id: duplicate node id "a"',
    'nodes[1].type: unknown node type "mystery"',
    'cycle through nodes c -> d -> c',
    'nodes[3].needs[1]: node "d" needs unknown node "ghost"',
  ])
    expect(r.stdout).toContain(where);
  expect(r.stdout).toContain('invalid pipeline definition (6 problems)');
});

test('validate of a valid file exits 0; --json gives a machine-readable answer', async () => {
  const ok = await cli(['validate', path.join(ROOT, 'examples', 'fanout.yaml')]);
  expect(ok).toMatchObject({ code: 0 });
  expect(ok.stdout).toContain('fanout-demo@1 is valid (8 nodes)');
  const json = await cli(['validate', '--json', writeDefinition('bad-json', { name: 'x', nodes: [] })]);
  expect(json.code).toBe(2);
  expect(JSON.parse(json.stdout)).toEqual({ ok: false, problems: [{ path: 'nodes', message: expect.any(String) }] });
});

test('run of a small pipeline shows progress and a summary, and exits 0', async () => {
  const r = await cli(['run', writeDefinition('small', small('cli-small')), '--run-key', uniqueId('k')]);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(/^started cli-small--k-\w+ \(run id /m);
  expect(r.stdout).toMatch(/^\[\d\d:\d\d:\d\d\] first succeeded \(\d+ms, attempt 1\)$/m);
  expect(r.stdout).toMatch(/^node\s+state\s+attempts\s+duration/m);
  expect(r.stdout).toMatch(/^cli-small--k-\w+ completed in [\d.]+m?s: 2 succeeded$/m);
});

test('run of a failing pipeline exits 1 and names the failed node', async () => {
  const file = writeDefinition('failing', {
    name: 'cli-failing',
    nodes: [
      { id: 'ok', type: 'noop' },
      { id: 'boom', type: 'fail', needs: ['ok'], params: { always: true, retryable: false, message: 'bad row' } },
      { id: 'after', type: 'noop', needs: ['boom'] },
    ],
  });
  const r = await cli(['run', file]);
  expect(r.code).toBe(1);
  expect(r.stdout).toMatch(/boom failed \(\d+ms, attempt 1\): IntentionalFailure: bad row/);
  expect(r.stdout).toMatch(/ failed in [\d.]+m?s: 1 succeeded, 1 failed, 1 skipped$/m);
});

test('run of an invalid definition lists the problems, exits 2 and starts nothing', async () => {
  const runKey = uniqueId('k');
  const file = writeDefinition('invalid-run', {
    name: 'cli-invalid',
    nodes: [{ id: 'a', type: 'sleep', needs: ['a'], params: { duration: 'soon' } }],
  });
  const r = await cli(['run', file, '--run-key', runKey]);
  expect(r.code).toBe(2);
  expect(r.stderr).toContain('nodes[0].needs[0]: node "a" cannot need itself');
  expect(r.stderr).toContain('nodes[0].params.duration');
  expect(r.stdout).toBe('');
  await expect(pw.describe(`cli-invalid--${runKey}`)).rejects.toThrow(RunNotFoundError);
});

test('run exits 130 when the run is cancelled', async () => {
  const runKey = uniqueId('k');
  const file = writeDefinition('long', {
    name: 'cli-long',
    nodes: [{ id: 'wait', type: 'sleep', params: { duration: '20s' } }],
  });
  const running = cli(['run', file, '--run-key', runKey]);
  const workflowId = `cli-long--${runKey}`;
  await untilStatus(workflowId, (s) => s.counts.running === 1);
  await pw.cancel(workflowId);
  const r = await running;
  expect(r.code).toBe(130);
  expect(r.stdout).toMatch(/wait cancelled/);
  expect(r.stdout).toContain(`${workflowId} cancelled`);
});

test('start prints the workflow id; the same run key gives the same run', async () => {
  const file = writeDefinition('start', small('cli-start'));
  const runKey = uniqueId('k');
  const first = await cli(['start', file, '--run-key', runKey]);
  const second = await cli(['start', file, '--run-key', runKey]);
  expect(first).toMatchObject({ code: 0, stdout: `cli-start--${runKey}\n` });
  expect(second).toMatchObject({ code: 0, stdout: first.stdout });
  expect(second.stderr).toContain('already exists');
  expect((await pw.result(`cli-start--${runKey}`)).outcome).toBe('completed');
});

test('status --json prints the status query result; plain status prints the node table', async () => {
  const runKey = uniqueId('k');
  const run = await pw.start(small('cli-status'), { runKey });
  await pw.result(run.workflowId);
  const json = await cli(['status', run.workflowId, '--json']);
  expect(json.code).toBe(0);
  const status = JSON.parse(json.stdout) as RunStatus;
  expect(status).toMatchObject({ pipeline: { name: 'cli-status', version: '1' }, state: 'completed' });
  expect(status.nodes.map((n) => [n.id, n.state])).toEqual([
    ['first', 'succeeded'],
    ['second', 'succeeded'],
  ]);
  const text = await cli(['status', run.workflowId]);
  expect(text.code).toBe(0);
  expect(text.stdout).toContain(`${run.workflowId}  cli-status@1  completed`);
  expect(text.stdout).toMatch(/^first\s+succeeded\s+1\s+\d+ms/m);
});

test('pause, resume and cancel act on a running run', async () => {
  const run = await pw.start(
    {
      name: 'cli-ops',
      nodes: [
        { id: 'a', type: 'sleep', params: { duration: '600ms' } },
        { id: 'b', type: 'sleep', needs: ['a'], params: { duration: '20s' } },
      ],
    },
    { runKey: uniqueId('k') },
  );
  await untilStatus(run.workflowId, (s) => s.counts.running === 1);
  const paused = await cli(['pause', run.workflowId]);
  expect(paused.code).toBe(0);
  expect(paused.stdout).toMatch(new RegExp(`^paused ${run.workflowId}: paused \\(drain\\)`));
  const resumed = await cli(['resume', run.workflowId]);
  expect(resumed.code).toBe(0);
  expect(resumed.stdout).toMatch(new RegExp(`^resumed ${run.workflowId}: running`));
  await untilStatus(run.workflowId, (s) => s.nodes[1]?.state === 'running');
  const cancelled = await cli(['cancel', run.workflowId, '--wait']);
  expect(cancelled.code).toBe(0);
  expect(cancelled.stdout).toContain(`${run.workflowId} cancelled`);
  const again = await cli(['pause', run.workflowId]);
  expect(again.code).toBe(1);
  expect(again.stderr).toMatch(/already ended/);
});

test('list --pipeline shows the runs of that pipeline', async () => {
  const pipeline = uniqueId('cli-list').replace(/-/g, '_');
  const run = await pw.start(small(pipeline), { runKey: 'one' });
  await pw.result(run.workflowId);
  let r: CliResult = { code: null, stdout: '', stderr: '' };
  for (let i = 0; i < 20 && !r.stdout.includes(run.workflowId); i++)
    r = await cli(['list', '--pipeline', pipeline, '--state', 'completed']);
  expect(r.code).toBe(0);
  expect(r.stdout).toMatch(new RegExp(`^${run.workflowId}\\s+${pipeline}@1\\s+completed`, 'm'));
  const bad = await cli(['list', '--state', 'sleepy']);
  expect(bad.code).toBe(2);
});

test('errors are one line naming the problem and what to do, with no stack trace', async () => {
  const unreachable = await cli(['status', 'whatever'], { TEMPORAL_ADDRESS: '127.0.0.1:1' });
  expect(unreachable.code).toBe(3);
  expect(unreachable.stderr.trim().split('\n')).toEqual([
    'cannot reach Temporal at 127.0.0.1:1: start it with `pipewright dev` or set TEMPORAL_ADDRESS (connection refused)',
  ]);
  const missing = await cli(['status', uniqueId('nobody')]);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toMatch(
    /^no run with workflow id "nobody-\w+" in namespace "default": check the id with `pipewright list`\n$/,
  );
  const noFile = await cli(['run', path.join(dir, 'absent.yaml')]);
  expect(noFile).toMatchObject({ code: 2, stderr: `${path.join(dir, 'absent.yaml')}: no such file\n` });
});

test('migrate applies the project tables once, then has nothing to apply; validate knows the data node types', async () => {
  const schema = `pwt_cli_migrate_${process.pid}`;
  try {
    const first = await cli(['migrate'], { PIPEWRIGHT_DB_SCHEMA: schema });
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain(
      `schema ${schema}: applied 1_load_ledger, 2_rejects, 3_staging_tables, 4_definitions, 5_memo_entries, 6_notifications, 7_retention, 8_partition_plans`,
    );
    const again = await cli(['migrate'], { PIPEWRIGHT_DB_SCHEMA: schema });
    expect(again.stdout).toContain('nothing to apply (8 already applied)');
  } finally {
    const { Client } = await import('pg');
    const pg = new Client({
      connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres',
    });
    await pg.connect();
    await pg.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
    await pg.end();
  }
  const example = await cli(['validate', path.join(ROOT, 'examples', 'airports-routes.yaml')]);
  expect(example).toMatchObject({ code: 0 });
  expect(example.stdout).toContain('airports-routes@1 is valid (6 nodes)');
});

test('sweep drops the staging of runs that no longer exist and keeps an open run; --dry-run drops nothing', async () => {
  const data = await createTestData('sweep');
  const env = { PIPEWRIGHT_DB_SCHEMA: data.schema, PIPEWRIGHT_STAGING_SCHEMA: data.stagingSchema };
  const schemas = { project: data.schema, staging: data.stagingSchema };
  const open = await pw.start({ name: 'sweep-open', nodes: [{ id: 'a', type: 'sleep', params: { duration: '30s' } }] });
  try {
    const gone = { workflowId: uniqueId('gone'), runId: 'r-gone' };
    const live = { workflowId: open.workflowId, runId: open.runId };
    for (const [table, run] of [
      ['t_gone', gone],
      ['t_live', live],
    ] as const) {
      await data.pool.query(`CREATE TABLE "${data.stagingSchema}".${table} (x int)`);
      await registerStaging(data.pool, schemas, run, 'n', table);
      // A ledger row past PIPEWRIGHT_LEDGER_RETENTION (90d): the gone run's goes, the open run's stays.
      await data.pool.query(
        `INSERT INTO "${data.schema}".load_ledger (workflow_id, run_id, node_id, batch_no, row_count, committed_at)
         VALUES ($1, $2, 'n', 1, 5, now() - interval '100 days')`,
        [run.workflowId, run.runId],
      );
    }
    const tables = async () =>
      (
        await data.rows<{ t: string }>(`SELECT tablename t FROM pg_tables WHERE schemaname = $1 ORDER BY 1`, [
          data.stagingSchema,
        ])
      ).map((r) => r.t);

    const dry = await cli(['sweep', '--dry-run', '--min-age', '0s'], env);
    expect(dry).toMatchObject({ code: 0 });
    expect(dry.stdout).toContain(`would drop staging of ${gone.workflowId} (run r-gone)`);
    expect(dry.stdout).toMatch(/would drop 1 staging tables of 1 ended runs; kept 1 open runs/);
    expect(dry.stdout).toContain(
      "retention: would delete 1 ledger rows of 1 ended runs (90d), 0 rejects of 0 ended runs (30d); kept 1 open runs' rows",
    );
    expect(await tables()).toEqual(['t_gone', 't_live']);

    const real = await cli(['sweep', '--min-age', '0s'], env);
    expect(real).toMatchObject({ code: 0 });
    expect(real.stdout).toMatch(/dropped 1 staging tables of 1 ended runs; kept 1 open runs/);
    expect(real.stdout).toContain('retention: deleted 1 ledger rows of 1 ended runs (90d)');
    expect(
      (await data.rows<{ w: string }>(`SELECT workflow_id w FROM "${data.schema}".load_ledger`)).map((r) => r.w),
    ).toEqual([live.workflowId]);
    expect(await tables()).toEqual(['t_live']);

    const young = await cli(['sweep'], env);
    expect(young.stdout).toMatch(/dropped 0 staging tables of 0 ended runs; kept 0 open runs/);
    const bad = await cli(['sweep', '--min-age', 'soon'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain('"soon" is not a duration');
  } finally {
    await pw.cancel(open.workflowId);
    await data.drop();
  }
});

test('schedule create, backfill --watch, describe, list --schedule and delete from the CLI; bad input exits 2 creating nothing', async () => {
  const file = writeDefinition('scheduled', {
    name: 'cli-scheduled',
    params: { label: 'string' },
    nodes: [{ id: 'echo', type: 'fail', params: { attempts: 0, message: '{{ params.label }}' } }],
  });
  const id = uniqueId('cli-sch');
  const badCron = await cli(['schedule', 'create', file, '--id', id, '--cron', '0 2 * 13 *', '--param', 'label=x']);
  expect(badCron.code).toBe(2);
  expect(badCron.stderr).toMatch(/--cron: cron "0 2 \* 13 \*": month field "13": "13" is out of range 1-12/);
  const noParam = await cli(['schedule', 'create', file, '--id', id, '--every', '1h']);
  expect(noParam.code).toBe(2);
  expect(noParam.stderr).toMatch(/params\.label: param "label" is required/);

  const created = await cli([
    'schedule',
    'create',
    file,
    '--id',
    id,
    '--every',
    '1d',
    '--param',
    'label=hi',
    '--paused',
  ]);
  expect(created.code).toBe(0);
  expect(created.stdout).toMatch(new RegExp(`^${id}  cli-scheduled@1 \\(inline\\)  paused`));
  expect(created.stdout).toMatch(/when: every 1d; overlap skip/);
  expect(created.stdout).toMatch(/params: label=hi/);

  const backfill = await cli(['schedule', 'backfill', id, '--from', '2024-05-01', '--to', '2024-05-03', '--watch']);
  expect(backfill.code).toBe(0);
  expect(backfill.stdout).toMatch(/backfill of .*: 3 runs/);
  expect(backfill.stdout).toMatch(/3\/3 done: 3 completed, 0 failed; 0 running/);

  const described = await cli(['schedule', 'describe', id]);
  expect(described.stdout).toMatch(/2024-05-03T00:00:00.000Z +cli-scheduled--.*-2024-05-03T00:00:00Z +completed/);
  const listed = await cli(['list', '--schedule', id]);
  expect(listed.stdout.match(/cli-scheduled--/g)).toHaveLength(3);

  expect((await cli(['schedule', 'delete', id])).stdout).toMatch(`${id} deleted`);
  const gone = await cli(['schedule', 'describe', id]);
  expect(gone.code).toBe(1);
  expect(gone.stderr).toMatch(new RegExp(`no schedule "${id}"`));
}, 90_000);

test('run --param gives the params; a missing one exits 2 and starts nothing', async () => {
  const file = writeDefinition('with-params', {
    name: 'cli-params',
    params: { n: 'int' },
    nodes: [{ id: 'wait', type: 'sleep', params: { duration: '{{ params.n }}' } }],
  });
  const missing = await cli(['run', file, '--run-key', 'k1']);
  expect(missing.code).toBe(2);
  expect(missing.stderr).toMatch(/params\.n: param "n" is required: give it an integer/);
  const ok = await cli(['run', file, '--param', 'n=20', '--run-key', 'k2']);
  expect(ok.code).toBe(0);
  const status = await pw.status('cli-params--k2');
  expect(status.params).toEqual({ n: 20 });
  expect(status.nodes[0]?.params).toEqual({ duration: 20 });
});

test('retry, skip and fail a held run from the CLI: every refusal exits 1 with its reason', async () => {
  const run = await pw.start({
    name: uniqueId('cli-held'),
    defaults: { onFailure: 'hold', retry: { maximumAttempts: 1 } },
    nodes: [
      { id: 'a', type: 'fail', params: { always: true, message: 'not yet' } },
      { id: 'b', type: 'noop', needs: ['a'] },
      { id: 'c', type: 'noop' },
    ],
  });
  await untilStatus(run.workflowId, (s) => s.state === 'held' && s.counts.succeeded === 1);
  const status = await cli(['status', run.workflowId]);
  expect(status.stdout).toMatch(new RegExp(`a is held: fix the cause, then \`pipewright retry ${run.workflowId} a\``));

  const unknown = await cli(['retry', run.workflowId, 'ghost']);
  expect([unknown.code, unknown.stderr]).toEqual([
    1,
    expect.stringMatching(/unknown node "ghost"; the run's nodes are a, b, c/),
  ]);
  const notHeld = await cli(['skip', run.workflowId, 'c', '--as', 'succeeded']);
  expect([notHeld.code, notHeld.stderr]).toEqual([1, expect.stringMatching(/node "c" is succeeded, not held/)]);
  const badParams = await cli(['retry', run.workflowId, 'a', '--params-json', '{"attempts": "x"}']);
  expect([badParams.code, badParams.stderr]).toEqual([1, expect.stringMatching(/params of node "a": attempts: /)]);
  const notJson = await cli(['retry', run.workflowId, 'a', '--params-json', '{attempts']);
  expect([notJson.code, notJson.stderr]).toEqual([2, expect.stringMatching(/not JSON/)]);

  const stillOpen = await cli(['rerun', run.workflowId]);
  expect([stillOpen.code, stillOpen.stderr]).toEqual([
    1,
    expect.stringMatching(/the run is still open: retry or skip/),
  ]);

  const failed = await cli(['fail', run.workflowId]);
  expect([failed.code, failed.stdout]).toEqual([
    0,
    expect.stringMatching(/^failed .*: failed; 1 succeeded, 1 failed, 1 skipped/),
  ]);
  const ended = await cli(['retry', run.workflowId, 'a']);
  expect([ended.code, ended.stderr]).toEqual([1, expect.stringMatching(/the run has already ended/)]);

  // The ended run is rerun: `c` keeps its output, `a` runs again (and holds again).
  const both = await cli(['rerun', run.workflowId, '--from-failure', '--from', 'a']);
  expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/--from-failure or --from <node>, not both/)]);
  const ghost = await cli(['rerun', run.workflowId, '--from', 'ghost']);
  expect([ghost.code, ghost.stderr]).toEqual([1, expect.stringMatching(/unknown node "ghost"/)]);
  const rerun = await cli(['rerun', run.workflowId, '--no-watch', '--run-key', 'again']);
  expect(rerun.code).toBe(0);
  expect(rerun.stdout).toMatch(new RegExp(`started (\\S+--again) .*\\n(.|\\n)*rerun of ${run.workflowId}`));
  const rerunId = /started (\S+--again)/.exec(rerun.stdout)?.[1] as string;
  await untilStatus(rerunId, (s) => s.state === 'held');
  const shown = await cli(['status', rerunId]);
  expect(shown.stdout).toContain(`rerun of ${run.workflowId}: 1 nodes reused`);
  expect(shown.stdout).toMatch(/\bc\s+reused\b/);
  await pw.failRun(rerunId);
}, 60_000);
