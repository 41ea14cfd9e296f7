import { z } from 'zod';
import { createCatalog } from '../../../src/model/catalog';
import type { Problem } from '../../../src/model/problems';
import { validateDefinition } from '../../../src/model/validate';

const node = (id: string, extra: Record<string, unknown> = {}) => ({ id, type: 'noop', ...extra });
const problemsOf = (input: unknown, opts = {}): Problem[] => {
  const r = validateDefinition(input, opts);
  return r.ok ? [] : [...r.problems];
};
const expectProblem = (problems: Problem[], path: string, message: RegExp) =>
  expect(problems).toEqual(
    expect.arrayContaining([expect.objectContaining({ path, message: expect.stringMatching(message) })]),
  );

describe('validateDefinition', () => {
  test('accepts a valid definition and fills defaults', () => {
    const r = validateDefinition({ name: 'p', nodes: [node('a'), node('b', { needs: ['a'] })] });
    expect(r.ok).toBe(true);
    if (r.ok) {
      expect(r.definition.version).toBe('1');
      expect(r.definition.nodes[0]?.needs).toEqual([]);
      expect(r.definition.nodes[0]?.params).toEqual({});
    }
  });

  test('reports structural problems with their paths', () => {
    const problems = problemsOf({
      name: '9 bad name',
      nodes: [{ id: 'a' }, { id: 'b', type: 'noop', bogus: 1 }],
      extra: true,
    });
    expectProblem(problems, 'name', /pipeline name must start with a letter/);
    expectProblem(problems, 'nodes[0].type', /Required/);
    expectProblem(problems, 'nodes[1]', /Unrecognized key.*bogus/);
    expectProblem(problems, '(root)', /Unrecognized key.*extra/);
  });

  test('needs at least one node', () => {
    expectProblem(problemsOf({ name: 'p', nodes: [] }), 'nodes', /at least one node/);
  });

  test('reports duplicate ids with the index of the first use', () => {
    expectProblem(
      problemsOf({ name: 'p', nodes: [node('a'), node('b'), node('a')] }),
      'nodes[2].id',
      /duplicate node id "a".*nodes\[0\]/,
    );
  });

  test('reports unknown and self needs', () => {
    const problems = problemsOf({ name: 'p', nodes: [node('a', { needs: ['zzz'] }), node('b', { needs: ['b'] })] });
    expectProblem(problems, 'nodes[0].needs[0]', /needs unknown node "zzz"/);
    expectProblem(problems, 'nodes[1].needs[0]', /cannot need itself/);
  });

  test('names every node of a cycle, and each cycle once', () => {
    const problems = problemsOf({
      name: 'p',
      nodes: [
        node('a', { needs: ['c'] }),
        node('b', { needs: ['a'] }),
        node('c', { needs: ['b'] }),
        node('x', { needs: ['y'] }),
        node('y', { needs: ['x'] }),
        node('ok'),
      ],
    });
    const cycles = problems.filter((p) => /cycle/.test(p.message));
    expect(cycles).toHaveLength(2);
    expect(cycles[0]?.message).toMatch(/a -> c -> b -> a/);
    expect(cycles[1]?.message).toMatch(/x -> y -> x/);
  });

  test('reports unknown node types with the known ones, unless the caller allows them', () => {
    const def = { name: 'p', nodes: [{ id: 'a', type: 'teleport' }] };
    expectProblem(
      problemsOf(def),
      'nodes[0].type',
      /unknown node type "teleport"; known types: fail, noop, sink.file, sink.postgres, sleep, source.csv, .*transform.sql$/,
    );
    expect(validateDefinition(def, { allowUnknownTypes: true }).ok).toBe(true);
  });

  test('checks params against the node type schema, built-in and user-registered', () => {
    const catalog = createCatalog([{ name: 'geo', params: z.object({ radius: z.number().positive() }).strict() }]);
    const problems = problemsOf(
      {
        name: 'p',
        nodes: [
          { id: 's', type: 'sleep', params: { duration: 'soon' } },
          { id: 'f', type: 'fail', params: { attempts: -1 } },
          { id: 'g', type: 'geo', params: { radius: -3 } },
        ],
      },
      { catalog },
    );
    expectProblem(problems, 'nodes[0].params.duration', /expected a duration/);
    expectProblem(problems, 'nodes[1].params.attempts', /greater than or equal to 0/);
    expectProblem(problems, 'nodes[2].params.radius', /greater than 0/);
  });

  test('reports nonsensical limits', () => {
    const problems = problemsOf({
      name: 'p',
      defaults: {
        parallelism: 0,
        timeout: '10s',
        retry: { backoffCoefficient: 0.5, initialInterval: '10s', maximumInterval: '1s' },
      },
      nodes: [node('a', { heartbeatTimeout: '1m', retry: { maximumAttempts: -2 }, timeout: 0 })],
    });
    expectProblem(problems, 'defaults.parallelism', /between 1 and 2000/);
    expectProblem(problems, 'defaults.retry.backoffCoefficient', /at least 1/);
    expectProblem(problems, 'defaults.retry.maximumInterval', /shorter than initialInterval/);
    expectProblem(problems, 'nodes[0].timeout', /greater than 0/);
    expectProblem(problems, 'nodes[0].retry.maximumAttempts', /0 \(unlimited\) or more/);
    expect(problemsOf({ name: 'p', defaults: { parallelism: 5000 }, nodes: [node('a')] })[0]?.message).toMatch(/2000/);
    expectProblem(
      problemsOf({ name: 'p', defaults: { timeout: '10s' }, nodes: [node('a', { heartbeatTimeout: '1m' })] }),
      'nodes[0].heartbeatTimeout',
      /longer than the timeout/,
    );
  });

  test('reports every problem at once, not just the first', () => {
    const problems = problemsOf({
      name: 'p',
      defaults: { parallelism: -1 },
      nodes: [
        node('a', { needs: ['nope'] }),
        node('a'),
        { id: 'c', type: 'warp' },
        { id: 's', type: 'sleep', params: {} },
      ],
    });
    expect(problems.map((p) => p.path).sort()).toEqual(
      ['defaults.parallelism', 'nodes[0].needs[0]', 'nodes[1].id', 'nodes[2].type', 'nodes[3].params.duration'].sort(),
    );
  });

  test('rejects durations it cannot read', () => {
    expectProblem(
      problemsOf({ name: 'p', defaults: { timeout: '5 parsecs' }, nodes: [node('a')] }),
      'defaults.timeout',
      /expected a duration/,
    );
  });
});
