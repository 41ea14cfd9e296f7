import {
  addCompleted,
  addStats,
  isCompleted,
  isGlob,
  nextPartitions,
  partitionForm,
  partitionProblems,
  startProgress,
} from '../../../src/model/partitions';
import { validateDefinition } from '../../../src/model/validate';
import { planChains } from '../../../src/model/fusion';
import type { PipelineDefinition } from '../../../src/model/schema';

const csv = (path: string) => ({ type: 'source.csv', params: { path } });

describe('which nodes are partitioned', () => {
  it('is a file source whose path is a glob', () => {
    expect(partitionForm(csv('data/2024-*.csv'))).toBe('glob');
    expect(partitionForm(csv('data/2024-0?.csv'))).toBe('glob');
    expect(partitionForm({ type: 'source.parquet', params: { path: 'd/{a,b}.parquet' } })).toBe('glob');
    expect(partitionForm(csv('data/2024-01.csv'))).toBeUndefined();
    expect(partitionForm({ type: 'sink.file', params: { path: 'out/*.csv' } })).toBeUndefined();
  });

  it('is a source.csv with split, or a source.postgres with partitionBy', () => {
    expect(partitionForm({ type: 'source.csv', params: { path: 'big.csv', split: { parts: 8 } } })).toBe('byte-range');
    const query = 'SELECT * FROM t';
    expect(partitionForm({ type: 'source.postgres', params: { query, partitionBy: { column: 'id', parts: 4 } } })).toBe(
      'key-range',
    );
    expect(partitionForm({ type: 'source.postgres', params: { query } })).toBeUndefined();
    expect(partitionForm({ type: 'source.ndjson', params: { path: 'a.ndjson', split: { parts: 2 } } })).toBeUndefined();
  });

  it('does not take a template for a glob', () => {
    expect(isGlob('data/{{ params.day }}.csv')).toBe(false);
    expect(isGlob('data/{{ params.day }}-*.csv')).toBe(true);
  });
});

describe('partition progress', () => {
  it('keeps done partitions as merged ranges in any order of completion', () => {
    let ranges = addCompleted([], 3);
    ranges = addCompleted(ranges, 1);
    ranges = addCompleted(ranges, 2);
    expect(ranges).toEqual([[1, 4]]);
    ranges = addCompleted(ranges, 0);
    ranges = addCompleted(ranges, 7);
    ranges = addCompleted(ranges, 7);
    expect(ranges).toEqual([
      [0, 4],
      [7, 8],
    ]);
    expect(isCompleted(ranges, 3)).toBe(true);
    expect(isCompleted(ranges, 4)).toBe(false);
  });

  it('picks the lowest partitions that are neither done nor running', () => {
    const progress = {
      count: 10,
      completed: [
        [0, 2],
        [3, 5],
      ] as Array<[number, number]>,
    };
    expect(nextPartitions(progress, new Set([2, 5]), 3)).toEqual([6, 7, 8]);
    expect(nextPartitions(progress, new Set(), 2)).toEqual([2, 5]);
    expect(nextPartitions({ count: 3, completed: [[0, 3]] }, new Set(), 5)).toEqual([]);
    expect(nextPartitions({ count: 3, completed: [] }, new Set(), 0)).toEqual([]);
  });

  it('stays a handful of numbers for thousands of partitions done in order', () => {
    let p = startProgress({ kind: 'glob', count: 5000, fingerprint: 'f' });
    let completed = p.completed;
    for (let i = 0; i < 5000; i++) completed = addCompleted(completed, i);
    p = { ...p, completed };
    expect(p.completed).toEqual([[0, 5000]]);
    expect(nextPartitions(p, new Set(), 10)).toEqual([]);
  });

  it('sums each node stats over partitions', () => {
    let sums = addStats({}, { src: { stats: { rowsRead: 2 } }, load: { stats: { rowsWritten: 2 } } });
    sums = addStats(sums, { src: { stats: { rowsRead: 3, rowsRejected: 1 } }, load: { stats: { rowsWritten: 3 } } });
    expect(sums).toEqual({ src: { rowsRead: 5, rowsRejected: 1 }, load: { rowsWritten: 5 } });
  });
});

describe('validation and fusion of partitioned chains', () => {
  const definition = (sink: Record<string, unknown>, fuse?: boolean) => ({
    name: 'p',
    version: '1',
    nodes: [
      { id: 'src', type: 'source.csv', params: { path: 'data/*.csv' } },
      {
        id: 'load',
        type: 'sink.postgres',
        needs: ['src'],
        params: { table: 't', ...sink },
        ...(fuse === false ? { fuse } : {}),
      },
    ],
  });

  it('accepts a glob path with append and upsert', () => {
    expect(validateDefinition(definition({ mode: 'append' })).problems).toEqual([]);
    expect(validateDefinition(definition({ mode: 'upsert', key: ['id'] })).problems).toEqual([]);
  });

  it('accepts replace and atomic after a glob, and keeps such a load out of the chain', () => {
    expect(validateDefinition(definition({ mode: 'replace' })).problems).toEqual([]);
    const nodes = (sink: Record<string, unknown>, path = 'data/*.csv') => [
      { id: 'src', type: 'source.csv', needs: [], params: { path } },
      { id: 'map', type: 'transform.map', needs: ['src'], params: {} },
      { id: 'load', type: 'sink.postgres', needs: ['map'], params: { table: 't', ...sink } },
    ];
    expect(planChains(nodes({ mode: 'append' }))).toEqual([['src', 'map', 'load']]);
    expect(planChains(nodes({ mode: 'replace' }))).toEqual([['src', 'map']]);
    expect(planChains(nodes({ mode: 'append', atomic: true }))).toEqual([['src', 'map']]);
    expect(planChains(nodes({ mode: 'replace' }, 'data/one.csv'))).toEqual([['src', 'map', 'load']]);
  });

  it('refuses a memoized partitioned node', () => {
    const d = {
      name: 'p',
      version: '1',
      nodes: [{ id: 'src', type: 'source.csv', needs: [], params: { path: 'data/*.csv' }, cache: { ttl: '1h' } }],
    } as unknown as PipelineDefinition;
    expect(partitionProblems(d).map((p) => p.path)).toEqual(['nodes[0].cache']);
  });
});
