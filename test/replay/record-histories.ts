/**
 * Records workflow histories for the replay test: `npm run record:histories`. Starts its own Temporal dev server
 * from .tools/ and an in-process worker (with data services on the shared Postgres, in schemas of its own that are
 * dropped at the end), runs each scenario, and writes test/replay/histories/<name>.json.
 *
 * An existing history file is NEVER overwritten: `save` keeps it (and logs "kept"), and a scenario whose files all
 * exist is not run at all. Re-running the script therefore records only the missing histories; to re-record one on
 * purpose, delete its file first (a change of command order must be guarded with patched() instead).
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { execFileSync } from 'node:child_process';
import { CancelledFailure } from '@temporalio/common';
import { WorkflowFailedError, type WorkflowHandleWithFirstExecutionRunId } from '@temporalio/client';
import { TestWorkflowEnvironment } from '@temporalio/testing';
import { DefaultLogger, Runtime, type Worker } from '@temporalio/worker';
import { generateCsv, SOURCE_COLUMNS } from '../../bench/load/generate-csv';
import { DEFAULT_DATABASE_URL } from '../../src/platform/config/config';
import type { RunStatus } from '../../src/model/state';
import { PIPELINE_SEARCH_ATTRIBUTES } from '../../src/model/search-attributes';
import { createDataServices, type DataServices } from '../../src/data/services';
import { loadDefinitionFile } from '../../src/client/definition-file';
import { createDefinitionRegistry } from '../../src/platform/registry';
import { createPipewrightWorker } from '../../worker/create-worker';
import type { CarriedState, PipelineInput } from '../../src/engine/run-input';
import { retryNodeUpdate, setPausedUpdate, skipNodeUpdate, statusQuery } from '../../src/engine/messages';
import type { pipeline } from '../../workflows/pipeline';
import { ROOT, TEMPORAL_BIN } from '../helpers/paths';
import { PipewrightClient } from '../../src/client/client';

const OUT = path.join(ROOT, 'test', 'replay', 'histories');
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const fileOf = (name: string): string => path.join(OUT, `${name}.json`);
const recorded = (name: string): boolean => fs.existsSync(fileOf(name));

type Handle = WorkflowHandleWithFirstExecutionRunId<typeof pipeline>;
interface HistoryJson {
  events: Array<Record<string, unknown> & { eventType: string }>;
}

interface Recorder {
  readonly env: TestWorkflowEnvironment;
  readonly worker: Worker;
  readonly data: DataServices;
  /** The target tables' own schema (data scenarios load here). */
  readonly outSchema: string;
  /** A scratch folder for input files. */
  readonly dir: string;
  start(id: string, definition: unknown, options?: PipelineInput['options']): Promise<Handle>;
  startInput(id: string, input: PipelineInput): Promise<Handle>;
  /** The history of the run (the latest run of the workflow id when `runId` is omitted), unless already kept. */
  save(name: string, workflowId: string, runId?: string): Promise<HistoryJson | undefined>;
  /** Runs `fn` unless every one of `names` is recorded already. */
  scenario(names: readonly string[], fn: () => Promise<void>): Promise<void>;
}

async function main(): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('WARN') });
  const env = await TestWorkflowEnvironment.createLocal({
    server: {
      executable: { type: 'existing-path', path: TEMPORAL_BIN },
      searchAttributes: [...PIPELINE_SEARCH_ATTRIBUTES],
    },
  });
  // Schemas of the recorder's own on the shared Postgres: project tables, staging, and the scenarios' targets.
  const schema = `replay_rec_${randomBytes(4).toString('hex')}`;
  const outSchema = `${schema}_out`;
  const data = createDataServices({
    url: process.env.DATABASE_URL ?? DEFAULT_DATABASE_URL,
    projectSchema: schema,
    stagingSchema: `${schema}_stg`,
    poolMax: 6,
  });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-replay-rec-'));
  try {
    const pool = data.pool();
    await data.ready(pool);
    await pool.query(`CREATE SCHEMA "${outSchema}"`);
    // Heartbeats every 100 ms at most, so an immediate pause or a cancellation reaches a node while it still runs.
    const worker = await createPipewrightWorker({
      connection: env.nativeConnection,
      taskQueue: 'record',
      data,
      heartbeatThrottleMs: 100,
    });
    const startInput = (id: string, input: PipelineInput) =>
      env.client.workflow.start<typeof pipeline>('pipeline', { taskQueue: 'record', workflowId: id, args: [input] });
    const save = async (name: string, workflowId: string, runId?: string) => {
      if (recorded(name)) {
        console.log(`kept ${name}: ${fileOf(name)} exists`);
        return undefined;
      }
      // The temporal CLI writes the standard JSON history format that historyFromJSON reads.
      const json = execFileSync(TEMPORAL_BIN, [
        'workflow',
        'show',
        '--workflow-id',
        workflowId,
        ...(runId ? ['--run-id', runId] : []),
        '--output',
        'json',
        '--address',
        env.address,
      ]);
      const history = JSON.parse(json.toString()) as HistoryJson;
      fs.writeFileSync(fileOf(name), json, { flag: 'wx' });
      console.log(`recorded ${name}: ${history.events.length} events, ${(json.length / 1024).toFixed(1)} KB`);
      return history;
    };
    const scenario = async (names: readonly string[], fn: () => Promise<void>) => {
      if (names.every(recorded)) {
        for (const name of names) console.log(`kept ${name}: ${fileOf(name)} exists`);
        return;
      }
      await fn();
    };
    await record({
      env,
      worker,
      data,
      outSchema,
      dir,
      start: (id, definition, options) => startInput(id, { definition, ...(options ? { options } : {}) }),
      startInput,
      save,
      scenario,
    });
  } finally {
    await env.teardown();
    const pool = data.pool();
    for (const s of [schema, `${schema}_stg`, outSchema]) await pool.query(`DROP SCHEMA IF EXISTS "${s}" CASCADE`);
    await data.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

function check(ok: boolean, what: string): void {
  if (!ok) throw new Error(`recording went wrong: ${what}`);
}

const nodeOf = (s: RunStatus, id: string) => {
  const n = s.nodes.find((x) => x.id === id);
  if (!n) throw new Error(`no node ${id} in status`);
  return n;
};

/** The carried state in the input of a ContinuedAsNew event (payloads are plain JSON: no codec here). */
function carriedOf(history: HistoryJson): CarriedState | undefined {
  const event = history.events.find((e) => e.eventType === 'EVENT_TYPE_WORKFLOW_EXECUTION_CONTINUED_AS_NEW');
  const attrs = event?.workflowExecutionContinuedAsNewEventAttributes as
    { input?: { payloads?: Array<{ data: string }> } } | undefined;
  const data = attrs?.input?.payloads?.[0]?.data;
  if (data === undefined) return undefined;
  return (JSON.parse(Buffer.from(data, 'base64').toString('utf8')) as PipelineInput).carried;
}

async function record(r: Recorder): Promise<void> {
  const { start, save, scenario } = r;
  const pool = r.data.pool();
  const ledgerBatches = async (workflowId: string): Promise<number> =>
    Number(
      (
        await pool.query<{ n: string }>(
          `SELECT count(DISTINCT batch_no) n FROM "${r.data.projectSchema}".load_ledger WHERE workflow_id = $1`,
          [workflowId],
        )
      ).rows[0]?.n ?? 0,
    );
  const untilRunning = async (handle: Handle, running = 1): Promise<void> => {
    const deadline = Date.now() + 30_000;
    while ((await handle.query(statusQuery)).counts.running < running) {
      if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not start its nodes`);
      await sleep(50);
    }
  };
  /** Waits until the run's load has committed `batches` batches (it is then mid-load). */
  const untilBatches = async (handle: Handle, batches: number): Promise<void> => {
    const deadline = Date.now() + 60_000;
    while ((await ledgerBatches(handle.workflowId)) < batches) {
      if (Date.now() > deadline) throw new Error(`${handle.workflowId} did not commit ${batches} batches`);
      await sleep(10);
    }
  };
  // Small files for the data scenarios; a large one for the loads that are paused mid-way.
  const small = path.join(r.dir, 'sales-small.csv');
  await generateCsv(small, 300);
  let large: string | undefined;
  const largeFile = async (): Promise<string> => {
    if (large === undefined) {
      large = path.join(r.dir, 'sales-large.csv');
      await generateCsv(large, 1_000_000);
    }
    return large;
  };
  const columns = SOURCE_COLUMNS.map((c) => ({ name: c.name, type: c.type }));
  const salesTable = async (name: string): Promise<string> => {
    const table = `${r.outSchema}.${name}`;
    await pool.query(
      `CREATE TABLE "${r.outSchema}"."${name}" (id bigint PRIMARY KEY, ts timestamptz, region text, product text, qty integer, price numeric)`,
    );
    return table;
  };

  await r.worker.runUntil(async () => {
    await scenario(['fanout-demo'], async () => {
      const demo = await start('fanout-demo', loadDefinitionFile(path.join(ROOT, 'examples', 'fanout.yaml')));
      await demo.result();
      await save('fanout-demo', demo.workflowId);
    });

    await scenario(['pause-immediate-resume'], async () => {
      const paused = await start('pause-immediate-resume', {
        name: 'pausable',
        defaults: { heartbeatTimeout: '5s' },
        nodes: [
          { id: 'long', type: 'sleep', params: { duration: '3s' } },
          { id: 'after', type: 'noop', needs: ['long'] },
        ],
      });
      while ((await paused.query(statusQuery)).counts.running === 0) await sleep(50);
      await sleep(1_300);
      await paused.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
      await paused.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
      await paused.result();
      await save('pause-immediate-resume', paused.workflowId);
    });

    await scenario(['fail-fast'], async () => {
      const failing = await start('fail-fast', {
        name: 'failing',
        defaults: { retry: { maximumAttempts: 2, initialInterval: '100ms' } },
        nodes: [
          { id: 'slow', type: 'sleep', params: { duration: '10s' } },
          { id: 'bad', type: 'fail', params: { always: true } },
          { id: 'after', type: 'noop', needs: ['bad'] },
        ],
      });
      await failing.result().catch(() => undefined);
      await save('fail-fast', failing.workflowId);
    });

    // A fused chain source.csv -> transform.map -> sink.postgres (append, createTable): one activity, no staging.
    await scenario(['fused-csv-to-postgres'], async () => {
      const fused = await start('fused-csv-to-postgres', {
        name: 'fused-load',
        nodes: [
          { id: 'extract', type: 'source.csv', params: { path: small, columns } },
          {
            id: 'priced',
            type: 'transform.map',
            needs: ['extract'],
            params: { compute: [{ name: 'amount', expr: 'qty * price', type: 'numeric' }], drop: ['ts'] },
          },
          {
            id: 'load',
            type: 'sink.postgres',
            needs: ['priced'],
            params: { table: `${r.outSchema}.fused_sales`, mode: 'append', createTable: true },
          },
        ],
      });
      const { status } = await fused.result();
      check(status.state === 'completed', 'fused-csv-to-postgres completed');
      check(nodeOf(status, 'load').output?.stats?.rowsWritten === 300, 'fused-csv-to-postgres loaded 300 rows');
      await save('fused-csv-to-postgres', fused.workflowId);
    });

    // Nodes that pass data through staging: an unfused source, a SQL aggregate, a sink; the run drops its staging.
    await scenario(['staging-and-sql'], async () => {
      const staged = await start('staging-and-sql', {
        name: 'staged-sql',
        nodes: [
          { id: 'raw', type: 'source.csv', fuse: false, params: { path: small, columns } },
          {
            id: 'by_region',
            type: 'transform.sql',
            needs: ['raw'],
            params: {
              sql: 'SELECT region, count(*)::int AS orders, sum(qty)::int AS qty FROM {{ inputs.raw }} GROUP BY region ORDER BY region',
            },
          },
          {
            id: 'load',
            type: 'sink.postgres',
            needs: ['by_region'],
            params: { table: `${r.outSchema}.region_totals`, mode: 'replace', createTable: true },
          },
        ],
      });
      const { status } = await staged.result();
      check(status.state === 'completed', 'staging-and-sql completed');
      const history = await save('staging-and-sql', staged.workflowId);
      if (history) check(JSON.stringify(history).includes('"dropStaging"'), 'staging-and-sql scheduled dropStaging');
    });

    // An immediate pause in the middle of a load: the cancelled node reports its checkpoint; the resumed execution
    // starts after it.
    await scenario(['pause-immediate-data-checkpoint'], async () => {
      const table = await salesTable('paused_sales');
      const handle = await start('pause-immediate-data-checkpoint', {
        name: 'paused-load',
        defaults: { heartbeatTimeout: '1s' },
        nodes: [
          { id: 'extract', type: 'source.csv', params: { path: await largeFile(), columns } },
          { id: 'load', type: 'sink.postgres', needs: ['extract'], params: { table, batchRows: 20_000 } },
        ],
      });
      await untilBatches(handle, 2);
      const paused = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
      check(paused.state === 'paused' && nodeOf(paused, 'load').state === 'pending', 'the load was cancelled');
      await handle.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
      const { status } = await handle.result();
      const load = nodeOf(status, 'load');
      check(status.state === 'completed', 'pause-immediate-data-checkpoint completed');
      check(load.executions === 2, 'the load ran twice');
      check(Number(load.output?.stats?.resumedAfterBatch ?? 0) > 0, 'the load resumed after its checkpoint');
      await save('pause-immediate-data-checkpoint', handle.workflowId);
    });

    // Continue-as-new with state carried. The current code never continues as new while paused (it waits for a
    // resume: `!paused` in the continue-as-new condition), so `paused: true` cannot be carried. Instead: a load is
    // paused immediately mid-way (its checkpoint kept), the history passes `historyEventLimit` meanwhile, and the
    // resume continues as new at once, carrying the checkpoint, the node states and `staged`; the next generation
    // resumes the load from the checkpoint.
    await scenario(['continued-as-new-paused', 'continued-as-new-final'], async () => {
      const table = await salesTable('carried_sales');
      const handle = await start(
        'continued-as-new-paused',
        {
          name: 'carried-load',
          defaults: { heartbeatTimeout: '1s' },
          nodes: [
            { id: 'prep', type: 'noop' },
            { id: 'extract', type: 'source.csv', needs: ['prep'], params: { path: await largeFile(), columns } },
            { id: 'load', type: 'sink.postgres', needs: ['extract'], params: { table, batchRows: 20_000 } },
          ],
        },
        { historyEventLimit: 18 },
      );
      await untilBatches(handle, 2);
      const paused = await handle.executeUpdate(setPausedUpdate, { args: [{ paused: true, mode: 'immediate' }] });
      check(paused.state === 'paused' && paused.generation === 1, 'paused in the first generation');
      await handle.executeUpdate(setPausedUpdate, { args: [{ paused: false }] });
      const { status } = await handle.result();
      const load = nodeOf(status, 'load');
      check(status.state === 'completed' && status.generation === 2, 'completed in the second generation');
      check(Number(load.output?.stats?.resumedAfterBatch ?? 0) > 0, 'the second generation resumed the load');
      const first = await save('continued-as-new-paused', handle.workflowId, handle.firstExecutionRunId);
      if (first) {
        const carried = carriedOf(first);
        check(carried !== undefined, 'the first generation continued as new');
        check(Object.keys(carried?.checkpoints ?? {}).length > 0, 'a checkpoint was carried');
        console.log(
          `  carried: paused=${String(carried?.paused)} pauseMode=${String(carried?.pauseMode)} ` +
            `staged=${String(carried?.staged)} checkpoints=${JSON.stringify(carried?.checkpoints)} ` +
            `nodes=${carried?.nodes.map((n) => `${n.id}:${n.state}`).join(',')}`,
        );
      }
      await save('continued-as-new-final', handle.workflowId);
    });

    // A run by reference: the definition published to the registry, loaded by the loadDefinition activity.
    await scenario(['run-by-reference'], async () => {
      const registry = createDefinitionRegistry({ pool, schema: r.data.projectSchema, cache: r.data.cache });
      await registry.publish({
        name: 'replay-ref',
        version: '1',
        nodes: [
          { id: 'wait', type: 'sleep', params: { duration: '200ms' } },
          { id: 'done', type: 'noop', needs: ['wait'] },
        ],
      });
      const byRef = await r.startInput('run-by-reference', { ref: 'replay-ref@latest' });
      const { status } = await byRef.result();
      check(status.state === 'completed' && status.pipeline.version === '1', 'run-by-reference ran replay-ref@1');
      await save('run-by-reference', byRef.workflowId);
    });

    // The run cancelled while a sleep node runs: the node is cancelled, the rest marked cancelled.
    await scenario(['cancelled-run'], async () => {
      const cancelled = await start('cancelled-run', {
        name: 'cancellable',
        defaults: { heartbeatTimeout: '5s' },
        nodes: [
          { id: 'first', type: 'noop' },
          { id: 'long', type: 'sleep', needs: ['first'], params: { duration: '30s' } },
          { id: 'after', type: 'noop', needs: ['long'] },
        ],
      });
      await untilRunning(cancelled);
      await sleep(500);
      await cancelled.cancel();
      const err = await cancelled.result().then(
        () => undefined,
        (e: unknown) => e,
      );
      check(
        err instanceof WorkflowFailedError && err.cause instanceof CancelledFailure,
        'cancelled-run ended cancelled',
      );
      await save('cancelled-run', cancelled.workflowId);
    });

    // A memoized node reused from an earlier run: the second run (recorded) shows it cached.
    await scenario(['memoized-node'], async () => {
      const definition = {
        name: 'memoized',
        nodes: [
          { id: 'extract', type: 'source.csv', params: { path: small, columns } },
          {
            id: 'priced',
            type: 'transform.map',
            needs: ['extract'],
            params: { compute: [{ name: 'amount', expr: 'qty * price', type: 'numeric' }] },
            cache: { ttl: '1h' },
          },
          {
            id: 'load',
            type: 'sink.postgres',
            needs: ['priced'],
            params: { table: `${r.outSchema}.memo_sales`, mode: 'replace', createTable: true },
          },
        ],
      };
      const first = await (await start('memoized-node-first', definition)).result();
      check(nodeOf(first.status, 'priced').state === 'succeeded', 'the first run ran the memoized node');
      const second = await start('memoized-node', definition);
      const { status } = await second.result();
      check(nodeOf(status, 'priced').state === 'cached', 'the second run reused the memoized node');
      await save('memoized-node', second.workflowId);
    });

    // Run params and templates rendered in the workflow: a CSV named by the day, loaded into a table of that day.
    await scenario(['params-templated'], async () => {
      const day = path.join(r.dir, 'sales-2024-05-01.csv');
      fs.copyFileSync(small, day);
      const handle = await r.startInput('params-templated', {
        definition: {
          name: 'daily-params',
          params: { day: 'date', region: { type: 'string', default: 'north' } },
          nodes: [
            {
              id: 'extract',
              type: 'source.csv',
              params: { path: path.join(r.dir, 'sales-{{ params.day }}.csv'), columns },
            },
            {
              id: 'keep',
              type: 'transform.filter',
              needs: ['extract'],
              params: { where: "region == '{{ params.region }}' or qty > {{ date_part('day', params.day) }}" },
            },
            {
              id: 'load',
              type: 'sink.postgres',
              needs: ['keep'],
              params: {
                table: `${r.outSchema}.sales_{{ run.logicalDate | add_days(-1) | format_date('YYYYMMDD') }}`,
                createTable: true,
              },
            },
          ],
        },
        params: { day: '2024-05-01' },
        logicalDate: '2024-05-01T02:00:00Z',
      });
      const { status } = await handle.result();
      check(nodeOf(status, 'load').params?.table === `${r.outSchema}.sales_20240430`, 'the table name rendered');
      await save('params-templated', handle.workflowId);
    });

    // onFailure: hold: a node holds the run, an operator retries it with corrected params (held-then-retried), or
    // skips it as succeeded (held-then-skipped); the other branch finishes meanwhile.
    for (const [name, repair] of [
      ['held-then-retried', { update: retryNodeUpdate, args: { nodeId: 'a', params: { attempts: 0 } } }],
      ['held-then-skipped', { update: skipNodeUpdate, args: { nodeId: 'a', as: 'succeeded' } }],
    ] as const)
      await scenario([name], async () => {
        const handle = await start(name, {
          name: 'holding',
          defaults: { onFailure: 'hold', retry: { maximumAttempts: 2, initialInterval: '100ms' } },
          nodes: [
            { id: 'a', type: 'fail', params: { always: true } },
            { id: 'b', type: 'noop', needs: ['a'] },
            { id: 'c', type: 'sleep', params: { duration: '100ms' } },
          ],
        });
        const deadline = Date.now() + 30_000;
        while ((await handle.query(statusQuery)).state !== 'held') {
          if (Date.now() > deadline) throw new Error(`${name} did not hold`);
          await sleep(50);
        }
        await handle.executeUpdate(repair.update as typeof retryNodeUpdate, { args: [repair.args as never] });
        const { status } = await handle.result();
        check(status.state === 'completed', `${name} completed after the operator's update`);
        await save(name, handle.workflowId);
      });

    // A rerun of a failed run: it asks which outputs are still there (the load's target is), reuses the fused
    // extract and load, and runs only the SQL node that failed once the table it needed exists.
    await scenario(['rerun-from-failure'], async () => {
      const lookup = `"${r.outSchema}".rerun_regions`;
      const failed = await start('rerun-first', {
        name: 'rerunning',
        defaults: { retry: { maximumAttempts: 1 } },
        nodes: [
          { id: 'extract', type: 'source.csv', params: { path: small, columns } },
          {
            id: 'load',
            type: 'sink.postgres',
            needs: ['extract'],
            params: { table: `${r.outSchema}.rerun_sales`, createTable: true, mode: 'replace' },
          },
          {
            id: 'report',
            type: 'transform.sql',
            needs: ['load'],
            params: {
              sql: `SELECT s.region, count(*) AS n FROM {{ inputs.load }} s JOIN ${lookup} g USING (region) GROUP BY 1`,
            },
          },
        ],
      });
      await failed.result().catch(() => undefined);
      await pool.query(`CREATE TABLE ${lookup} AS SELECT DISTINCT region FROM "${r.outSchema}".rerun_sales`);
      const pw = new PipewrightClient(r.env.client, { taskQueue: 'record' });
      const rerun = await pw.rerun(failed.workflowId, { runKey: 'rerun' });
      const { status } = (await r.env.client.workflow.getHandle(rerun.workflowId).result()) as { status: RunStatus };
      check(status.state === 'completed', 'the rerun completed');
      check(
        status.nodes
          .filter((n) => n.reused)
          .map((n) => n.id)
          .join() === 'extract,load',
        'the rerun reused extract and load',
      );
      await save('rerun-from-failure', rerun.workflowId);
    });

    // A node on a task queue nobody polls at first: its wait times out (the run says so), it is scheduled again, and
    // a worker for the queue that comes later picks it up (the run stops saying it waits).
    await scenario(['node-queue-waited'], async () => {
      const handle = await start('node-queue-waited', {
        name: 'queue-waiting',
        nodes: [
          { id: 'here', type: 'noop' },
          { id: 'there', type: 'sleep', needs: ['here'], taskQueue: 'record-later', params: { duration: '12s' } },
        ],
      });
      const deadline = Date.now() + 30_000;
      while ((await handle.query(statusQuery)).nodes[1]?.waitingForWorker === undefined) {
        if (Date.now() > deadline) throw new Error('the node did not report its wait');
        await sleep(100);
      }
      const later = await createPipewrightWorker({
        connection: r.env.nativeConnection,
        taskQueue: 'record-later',
        activitiesOnly: true,
        data: r.data,
      });
      const { status } = await later.runUntil(handle.result());
      check(status.state === 'completed', 'the waiting node completed on the later worker');
      await save('node-queue-waited', handle.workflowId);
    });

    // A run with `notify`: a hold and the end are sent through the notify activity (the recorder's worker has no
    // webhook, so each is refused as NotifyWebhookMissing and logged: the run goes on and completes).
    await scenario(['notified-run'], async () => {
      const handle = await start('notified-run', {
        name: 'notified',
        defaults: { onFailure: 'hold', retry: { maximumAttempts: 1 } },
        notify: { on: ['held', 'completed'] },
        nodes: [
          { id: 'a', type: 'fail', params: { always: true } },
          { id: 'b', type: 'noop', needs: ['a'] },
        ],
      });
      const deadline = Date.now() + 30_000;
      while ((await handle.query(statusQuery)).state !== 'held') {
        if (Date.now() > deadline) throw new Error('notified-run did not hold');
        await sleep(50);
      }
      await handle.executeUpdate(retryNodeUpdate, { args: [{ nodeId: 'a', params: { attempts: 0 } }] });
      const { status } = await handle.result();
      check(status.state === 'completed', 'notified-run completed');
      await save('notified-run', handle.workflowId);
    });

    // A glob of a few CSV files into Postgres (fused with a transform): one listPartitions activity, then one runNode
    // activity per file, two at once; the second run continues as new in the middle of the partitioned node.
    const partsDir = path.join(r.dir, 'parts');
    const partitioned = async (id: string, name: string, files: number, options?: PipelineInput['options']) => {
      fs.mkdirSync(partsDir, { recursive: true });
      for (let i = 0; i < files; i++) await generateCsv(path.join(partsDir, `${name}-${i}.csv`), 40);
      return start(
        id,
        {
          name: `glob-${name}`,
          defaults: { parallelism: 2 },
          nodes: [
            { id: 'extract', type: 'source.csv', params: { path: path.join(partsDir, `${name}-*.csv`), columns } },
            { id: 'priced', type: 'transform.map', needs: ['extract'], params: { drop: ['ts'] } },
            {
              id: 'load',
              type: 'sink.postgres',
              needs: ['priced'],
              params: { table: `${r.outSchema}.${name.replace(/-/g, '_')}`, mode: 'append', createTable: true },
            },
          ],
        },
        options,
      );
    };
    await scenario(['partitioned-glob-to-postgres'], async () => {
      const handle = await partitioned('partitioned-glob-to-postgres', 'glob-sales', 4);
      const { status } = await handle.result();
      check(status.state === 'completed', 'partitioned-glob-to-postgres completed');
      check(nodeOf(status, 'extract').partitions?.done === 4, 'partitioned-glob-to-postgres ran 4 partitions');
      check(nodeOf(status, 'load').output?.stats?.rowsWritten === 160, 'partitioned-glob-to-postgres loaded 160 rows');
      await save('partitioned-glob-to-postgres', handle.workflowId);
    });
    await scenario(['partitioned-continued-as-new'], async () => {
      const handle = await partitioned('partitioned-continued-as-new', 'carried-parts', 8, { historyEventLimit: 30 });
      const { status } = await handle.result();
      check(status.state === 'completed' && status.generation > 1, 'partitioned-continued-as-new continued as new');
      check(nodeOf(status, 'load').output?.stats?.rowsWritten === 320, 'partitioned-continued-as-new loaded 320 rows');
      // The first run: it lists the partitions, runs some and carries their progress into the next.
      const first = await save('partitioned-continued-as-new', handle.workflowId, handle.firstExecutionRunId);
      const carried = first ? carriedOf(first) : undefined;
      const progress = carried?.nodes.find((n) => n.id === 'extract')?.partitions;
      check(progress !== undefined && progress.done > 0 && progress.done < 8, 'partition progress was carried');
    });

    // A run a schedule started: its logical date is the TemporalScheduledStartTime search attribute.
    await scenario(['scheduled-run'], async () => {
      const scheduleId = 'record-scheduled';
      const handle = await r.env.client.schedule.create({
        scheduleId,
        spec: { intervals: [{ every: '1d' }] },
        state: { paused: true },
        action: {
          type: 'startWorkflow',
          workflowType: 'pipeline',
          workflowId: `scheduled--${scheduleId}`,
          taskQueue: 'record',
          args: [
            {
              definition: {
                name: 'scheduled',
                params: { label: 'string' },
                nodes: [
                  { id: 'wait', type: 'sleep', params: { duration: '100ms' } },
                  {
                    id: 'echo',
                    type: 'fail',
                    needs: ['wait'],
                    params: { attempts: 0, message: '{{ params.label }} {{ run.logicalDate | date }}' },
                  },
                ],
              },
              params: { label: 'nightly' },
            },
          ],
        },
      });
      await handle.trigger();
      const deadline = Date.now() + 30_000;
      let workflowId: string | undefined;
      while (workflowId === undefined) {
        if (Date.now() > deadline) throw new Error('the scheduled run did not start');
        workflowId = (await handle.describe()).info.recentActions[0]?.action.workflow.workflowId;
        await sleep(100);
      }
      const { status } = (await r.env.client.workflow.getHandle(workflowId).result()) as { status: RunStatus };
      check(String(nodeOf(status, 'echo').params?.message).startsWith('nightly '), 'the template rendered');
      await save('scheduled-run', workflowId);
      await handle.delete();
    });
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
