/**
 * List queries with and without pipewright's search attributes, the definition hash in the memo, and the
 * heartbeat envelope that carries a node's rows next to its checkpoint.
 */
import { definitionHash } from '../../src/client/definition-hash';
import { readMemo, staticDetails } from '../../src/client/metadata';
import { listQuery } from '../../src/client/visibility';
import { validateDefinition } from '../../src/model/validate';
import { checkpointOf, heartbeatDetails, rowsOf } from '../../src/engine/heartbeat-details';

const valid = (definition: unknown) => {
  const r = validateDefinition(definition);
  if (!r.ok) throw new Error(JSON.stringify(r.problems));
  return r.definition;
};

test('with the search attributes, paused and held are filters of their own and the pipeline matches by attribute or id', () => {
  const indexed = { searchAttributes: true };
  expect(listQuery({ pipeline: 'nightly', state: 'paused' }, indexed)).toBe(
    "WorkflowType = 'pipeline' AND (PipelineName = 'nightly' OR WorkflowId STARTS_WITH 'nightly--') AND " +
      "ExecutionStatus = 'Running' AND PipelineState = 'paused'",
  );
  expect(listQuery({ state: 'running' }, indexed)).toBe(
    "WorkflowType = 'pipeline' AND ExecutionStatus = 'Running' AND " +
      "(PipelineState IS NULL OR (PipelineState != 'paused' AND PipelineState != 'held'))",
  );
  expect(listQuery({ state: 'held' }, indexed)).toBe(
    "WorkflowType = 'pipeline' AND ExecutionStatus = 'Running' AND PipelineState = 'held'",
  );
  expect(listQuery({ state: 'failed' }, indexed)).toBe("WorkflowType = 'pipeline' AND ExecutionStatus = 'Failed'");
});

test('without them, the fallback filters on the workflow id and execution status only', () => {
  expect(listQuery({ pipeline: 'nightly', state: 'paused' })).toBe(
    "WorkflowType = 'pipeline' AND WorkflowId STARTS_WITH 'nightly--' AND ExecutionStatus = 'Running'",
  );
  expect(listQuery({}, { searchAttributes: false })).toBe("WorkflowType = 'pipeline'");
  expect(() => listQuery({ pipeline: "x' OR 1=1 --" }, { searchAttributes: true })).toThrow(/not a pipeline name/);
});

test('the definition hash ignores key order and spelt-out defaults, and changes with the content', () => {
  const a = valid({ name: 'p', nodes: [{ id: 'a', type: 'sleep', params: { duration: '1s' } }] });
  const b = valid({
    nodes: [{ params: { duration: '1s' }, type: 'sleep', id: 'a', needs: [] }],
    version: '1',
    name: 'p',
  });
  const c = valid({ name: 'p', nodes: [{ id: 'a', type: 'sleep', params: { duration: '2s' } }] });
  expect(definitionHash(a)).toMatch(/^sha256:[0-9a-f]{64}$/);
  expect(definitionHash(b)).toBe(definitionHash(a));
  expect(definitionHash(c)).not.toBe(definitionHash(a));
  expect(staticDetails(a, 'k1', undefined, definitionHash(a))).toContain(`- definition: \`${definitionHash(a)}\``);
  expect(readMemo({ definitionHash: definitionHash(a), pipeline: 'p' })).toMatchObject({
    pipeline: 'p',
    definitionHash: definitionHash(a),
  });
});

test('heartbeats stay the bare checkpoint until a node reports rows; both forms give the checkpoint back', () => {
  const checkpoint = { batch: 3, rows: 300 };
  expect(heartbeatDetails(checkpoint, new Map())).toBe(checkpoint);
  expect(checkpointOf(checkpoint)).toBe(checkpoint);
  expect(rowsOf(checkpoint)).toEqual({});
  const details = heartbeatDetails(checkpoint, new Map([['load', 420]]));
  expect(checkpointOf(details)).toEqual(checkpoint);
  expect(rowsOf(details)).toEqual({ load: 420 });
  const noCheckpoint = heartbeatDetails(undefined, new Map([['map', 7]]));
  expect(checkpointOf(noCheckpoint)).toBeUndefined();
  // A user checkpoint that happens to have a `rows` field is still just a checkpoint.
  expect(rowsOf({ rows: { load: 1 } })).toEqual({});
  expect(checkpointOf({ rows: { load: 1 } })).toEqual({ rows: { load: 1 } });
});
