/** Readable workflow ids, run keys and the visibility queries of `list`. */
import { InvalidOptionError } from '../../src/client/errors';
import { checkRunKey, defaultRunKey, parseWorkflowId, workflowIdFor } from '../../src/client/ids';
import { listQuery } from '../../src/client/visibility';
import { staticDetails, staticSummary } from '../../src/client/metadata';
import { validateDefinition } from '../../src/model/validate';

test('the default run key is a UTC timestamp plus four random hex digits', () => {
  expect(defaultRunKey(new Date('2026-11-22T15:45:01.999Z'), () => 'ab12')).toBe('20261122-154501-ab12');
  expect(defaultRunKey()).toMatch(/^\d{8}-\d{6}-[0-9a-f]{4}$/);
});

test('workflow ids are <pipeline>--<run key>, and run keys are checked', () => {
  expect(workflowIdFor('fanout-demo', 'nightly.2026-11-22')).toBe('fanout-demo--nightly.2026-11-22');
  expect(parseWorkflowId('fanout-demo--20261122-154501-ab12')).toEqual({
    pipeline: 'fanout-demo',
    runKey: '20261122-154501-ab12',
  });
  expect(parseWorkflowId('no-separator')).toBeUndefined();
  for (const bad of ['', 'has space', '-leading', 'a--b', 'x'.repeat(101), "quote'"])
    expect(() => checkRunKey(bad)).toThrow(InvalidOptionError);
});

test('list queries filter on the workflow type, the id prefix and the execution status', () => {
  expect(listQuery()).toBe(`WorkflowType = 'pipeline'`);
  expect(listQuery({ pipeline: 'etl', state: 'cancelled' })).toBe(
    `WorkflowType = 'pipeline' AND WorkflowId STARTS_WITH 'etl--' AND ExecutionStatus = 'Canceled'`,
  );
  expect(listQuery({ state: 'paused' })).toContain(`ExecutionStatus = 'Running'`);
  expect(listQuery({ state: 'timed-out' })).toContain(`ExecutionStatus = 'TimedOut'`);
  expect(() => listQuery({ pipeline: "x' OR WorkflowType != '" })).toThrow(InvalidOptionError);
  expect(() => listQuery({ state: 'sleeping' as never })).toThrow(/unknown state "sleeping"/);
});

test('the Web UI summary and details name the pipeline, its run key and its nodes', () => {
  const result = validateDefinition({
    name: 'etl',
    version: 3,
    description: 'Nightly load.',
    nodes: [
      { id: 'extract', type: 'noop' },
      { id: 'load', type: 'noop', needs: ['extract'] },
    ],
  });
  if (!result.ok) throw new Error('fixture invalid');
  expect(staticSummary(result.definition)).toBe('etl@3: 2 nodes');
  const details = staticDetails(result.definition, 'k1', 4);
  expect(details).toContain('Nightly load.');
  expect(details).toContain('run key: `k1`');
  expect(details).toContain('parallelism: 4');
  // A list, not a table: the Web UI renders markdown tables without cell padding.
  expect(details).toContain('- `extract` noop\n- `load` noop, needs extract');
  // The DAG as Mermaid text, last: the Web UI shows it as a code block when it does not draw Mermaid.
  expect(details).toMatch(/\n\n```mermaid\nflowchart LR\n(.*\n)* {2}extract --> load\n```$/);
});

test("a big DAG's Mermaid text is left out of the details, which say how to draw it", () => {
  const nodes = Array.from({ length: 51 }, (_, i) => ({
    id: `n${i}`,
    type: 'noop',
    needs: i > 0 ? [`n${i - 1}`] : [],
  }));
  const result = validateDefinition({ name: 'wide', nodes });
  if (!result.ok) throw new Error('fixture invalid');
  const details = staticDetails(result.definition, 'k1', undefined);
  expect(details).not.toContain('```mermaid');
  expect(details).toContain('and 1 more nodes\n\ngraph left out (51 nodes): `pipewright graph <workflow id>` draws it');
  expect(details.length).toBeLessThan(2_000);
  const fifty = validateDefinition({ name: 'wide', nodes: nodes.slice(0, 50) });
  expect(fifty.ok && staticDetails(fifty.definition, 'k1', undefined)).toContain('  n48 --> n49\n```');
});
