/**
 * Each built-in node type is described once (`src/model/nodes/`) and implemented once (`src/nodes/`); the
 * implementation must agree with its description, and everything derived from the descriptions must follow them.
 */
import { createCatalog } from '../../../src/model/catalog';
import { planChains } from '../../../src/model/fusion';
import { BUILTIN_NODE_DESCRIPTIONS, mayLeaveStaging, streamRole } from '../../../src/model/nodes';
import { BUILTIN_TYPES, builtinTypeNames } from '../../../src/model/nodes/builtin-table';
import { validateDefinition } from '../../../src/model/validate';
import { BUILTIN_IMPLEMENTATIONS } from '../../../src/nodes/builtin-types';
import { NodeTypes } from '../../../src/nodes/node-types';

const STAGE_OF = { source: 'openSource', transform: 'transform', sink: 'sink' } as const;

describe.each(BUILTIN_NODE_DESCRIPTIONS.map((d) => [d.name, d] as const))('%s', (name, description) => {
  const implementation = BUILTIN_IMPLEMENTATIONS[name];

  test('is implemented under its own name, with its description', () => {
    expect(implementation.name).toBe(name);
    expect(implementation.params).toBe(description.params);
    expect(implementation.description).toBe(description.description);
    expect(description.description?.length ?? 0).toBeGreaterThan(10);
  });

  test('has exactly the stage its stream role needs (none when it does not stream)', () => {
    expect(implementation.stream).toBe(description.stream);
    const stages = Object.entries(implementation.stages ?? {})
      .filter(([key, fn]) => typeof fn === 'function' && key !== 'inputGeometry')
      .map(([key]) => key);
    expect(stages).toEqual(description.stream ? [STAGE_OF[description.stream]] : []);
    // The form of geometry read from an input table is a choice of a node that reads one: not a source.
    if (implementation.stages?.inputGeometry) expect(description.stream).not.toBe('source');
  });

  test('a streaming type may leave staging (alone, it writes its output to a staging table)', () => {
    if (description.stream) expect(description.staging).toBe(true);
    expect(mayLeaveStaging(name)).toBe(description.staging === true);
    expect(streamRole(name)).toBe(description.stream);
  });

  test("the workflow's table loads this same description, and the catalog gives it", () => {
    expect(BUILTIN_TYPES[name]?.load()).toBe(description);
    expect(createCatalog().get(name)).toBe(description);
  });
});

test('every implementation has a description, and the worker registers each built-in once', () => {
  const described = BUILTIN_NODE_DESCRIPTIONS.map((d) => d.name);
  expect(Object.keys(BUILTIN_IMPLEMENTATIONS).sort()).toEqual([...described].sort());
  expect(new Set(described).size).toBe(described.length);
  expect(new NodeTypes().names()).toEqual([...described].sort());
});

test('fusion, the needs rule and the catalog come from the descriptions', () => {
  const nodes = [
    { id: 'read', type: 'source.csv', needs: [], params: { path: 'x.csv' } },
    { id: 'map', type: 'transform.map', needs: ['read'], params: { drop: ['a'] } },
    { id: 'write', type: 'sink.postgres', needs: ['map'], params: { table: 't' } },
  ];
  expect(planChains(nodes)).toEqual([['read', 'map', 'write']]);
  // A type that does not stream never fuses.
  expect(planChains([nodes[0], { ...nodes[1], type: 'noop', params: {} }] as typeof nodes)).toEqual([]);
  const problems = validateDefinition({ name: 'p', nodes: [nodes[0], { ...nodes[2], needs: [] }] });
  expect(problems.problems).toEqual([
    expect.objectContaining({ path: 'nodes[1].needs', message: expect.stringContaining('exactly one upstream node') }),
  ]);
  expect([...createCatalog().keys()]).toEqual(BUILTIN_NODE_DESCRIPTIONS.map((d) => d.name));
  expect(builtinTypeNames()).toEqual(BUILTIN_NODE_DESCRIPTIONS.map((d) => d.name));
});

test("the workflow's validation checks built-in params too (the catalog is the descriptions)", () => {
  const result = validateDefinition(
    { name: 'p', nodes: [{ id: 'read', type: 'source.csv', params: { path: 'x.csv', delimiter: ';;' } }] },
    { allowUnknownTypes: true },
  );
  expect(result.problems).toEqual([
    { path: 'nodes[0].params.delimiter', message: 'delimiter must be exactly one character' },
  ]);
});
