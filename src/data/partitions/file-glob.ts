/**
 * The `glob` planner: a file source whose `path` is a glob (`data/2024-*.csv`) has one partition per matching regular
 * file, sorted by path (byte order), so every listing of the same files has the same order. The fingerprint covers
 * each file's path, size and modification time: a file added, removed or rewritten changes it.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import path from 'node:path';
import { glob } from 'tinyglobby';
import { InputFileError } from '../errors';
import type { FilePartition, PartitionPlan, PartitionPlanner, PlannedNode } from './types';

export async function listGlob(nodeId: string, pattern: string): Promise<PartitionPlan<FilePartition>> {
  const cwd = process.cwd();
  const where = path.isAbsolute(pattern) ? '' : ` (resolved from the worker's directory ${cwd})`;
  const matches = await glob(pattern, { cwd, absolute: true, onlyFiles: true, expandDirectories: false });
  // Byte order, not locale order: the same on every worker.
  const files = [...new Set(matches.map((m) => path.resolve(m)))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
  if (files.length === 0)
    throw new InputFileError(
      nodeId,
      pattern,
      `the glob matches no file${where}; check the pattern, and that every worker can see the files`,
    );
  const partitions: FilePartition[] = [];
  const hash = createHash('sha256');
  for (const file of files) {
    const stat = await fs.stat(file);
    // As the pattern names it: relative to the worker's directory, or absolute.
    const name = path.isAbsolute(pattern) ? file : path.relative(cwd, file);
    partitions.push({ kind: 'glob', name, path: file, size: stat.size, mtimeMs: stat.mtimeMs });
    hash.update(`${file}\u0000${stat.size}\u0000${stat.mtimeMs}\n`);
  }
  return { partitions, fingerprint: hash.digest('hex').slice(0, 32) };
}

export const globPlanner: PartitionPlanner<{ path: string }, FilePartition> = {
  kind: 'glob',
  plan: (node: PlannedNode<{ path: string }>) => listGlob(node.nodeId, node.params.path),
};
