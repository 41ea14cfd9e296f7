import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { listGlob } from '../../../src/data/partitions/file-glob';
import { findPartition } from '../../../src/data/partitions/planners';
import { explainCsvSources } from '../../../src/cli/explain-csv';
import type { PipelineDefinition } from '../../../src/model/schema';

describe('glob partitions', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'pw-glob-'));
    for (const name of ['b-2.csv', 'a-10.csv', 'a-2.csv', 'notes.txt']) fs.writeFileSync(path.join(dir, name), name);
    fs.mkdirSync(path.join(dir, 'c.csv'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('lists matching regular files in byte order, with a fingerprint of names, sizes and times', async () => {
    const plan = await listGlob('src', path.join(dir, '*.csv'));
    expect(plan.partitions.map((p) => path.basename(p.path))).toEqual(['a-10.csv', 'a-2.csv', 'b-2.csv']);
    expect(plan.partitions[0]?.size).toBe(8);
    expect((await listGlob('src', path.join(dir, '*.csv'))).fingerprint).toBe(plan.fingerprint);
    fs.writeFileSync(path.join(dir, 'a-2.csv'), 'longer content');
    expect((await listGlob('src', path.join(dir, '*.csv'))).fingerprint).not.toBe(plan.fingerprint);
  });

  it('fails non-retryably naming the node and the pattern when nothing matches', async () => {
    const pattern = path.join(dir, '*.parquet');
    await expect(listGlob('src', pattern)).rejects.toMatchObject({
      name: 'InputFileError',
      nonRetryable: true,
      message: expect.stringContaining(`node "src": input file ${pattern}: the glob matches no file`),
    });
  });

  it('finds a partition again from its index and fingerprint, and refuses a changed listing', async () => {
    const pattern = path.join(dir, '*.csv');
    const node = { nodeId: 'src', type: 'source.csv', params: { path: pattern } };
    const plan = await listGlob('src', pattern);
    const ref = { index: 2, count: 3, fingerprint: plan.fingerprint };
    expect((await findPartition(node, ref)).descriptor).toMatchObject({ path: path.join(dir, 'b-2.csv') });
    fs.writeFileSync(path.join(dir, 'c-1.csv'), 'new');
    await expect(findPartition(node, ref)).rejects.toMatchObject({
      name: 'InputChangedError',
      nonRetryable: true,
      message: expect.stringContaining('the partitions changed since the run listed them (3 then, 4 now'),
    });
  });

  it("validate --explain reads the header of a glob's first file", async () => {
    fs.writeFileSync(path.join(dir, 'a-10.csv'), 'Id,Full Name\n1,x\n');
    const definition = {
      nodes: [{ id: 'src', type: 'source.csv', needs: [], params: { path: path.join(dir, '*.csv') } }],
    } as unknown as PipelineDefinition;
    const [explained] = await explainCsvSources(definition);
    expect(explained?.columns?.map((c) => c.name)).toEqual(['id', 'full_name']);
  });
});
