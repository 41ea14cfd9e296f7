/**
 * The planners whose plans are stored (plan-store.ts) rather than made again by each partition: `byte-range`
 * (`source.csv` `split`: the file is scanned once, when the run lists its partitions) and `key-range`
 * (`source.postgres` `partitionBy`: the ranges are cut once from the query's min and max, so rows added meanwhile do
 * not move them). The fingerprint covers the plan itself (and, for a file, its path, size and modification time).
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs/promises';
import type { CsvSplitParam, PartitionByParam } from '../../model/nodes/partition-params';
import { checkReadableFile } from '../files/input-file';
import type { DataServices } from '../services';
import { planCsvRanges, type CsvPart } from './csv-ranges';
import { planKeyRanges, type KeyRange } from './key-ranges';
import type { PartitionPlan, PartitionPlanner, PlannedNode, PlannerServices } from './types';

const fingerprintOf = (...parts: unknown[]): string =>
  createHash('sha256').update(JSON.stringify(parts)).digest('hex').slice(0, 32);

function dataOf(nodeId: string, services: PlannerServices): DataServices {
  if (!services.data) throw new Error(`node "${nodeId}": planning its partitions needs the worker's data services`);
  return services.data as DataServices;
}

interface CsvSplitNode {
  readonly path: string;
  readonly split: CsvSplitParam;
  readonly header?: boolean;
  readonly delimiter?: string;
  readonly quote?: string;
}

export const byteRangePlanner: PartitionPlanner<CsvSplitNode, CsvPart> = {
  kind: 'byte-range',
  stored: true,
  async plan(node: PlannedNode<CsvSplitNode>, services): Promise<PartitionPlan<CsvPart>> {
    const p = node.params;
    const file = await checkReadableFile(node.nodeId, p.path);
    const { mtimeMs } = await fs.stat(file);
    const split = p.split.parts !== undefined ? { parts: p.split.parts } : { partSize: p.split.partSize! };
    const plan = await planCsvRanges(
      file,
      split,
      { header: p.header, delimiter: p.delimiter, quote: p.quote },
      { signal: services.signal, onProgress: services.onProgress },
    );
    return {
      partitions: plan.parts,
      fingerprint: fingerprintOf('byte-range', file, plan.fileSize, mtimeMs, plan.parts),
    };
  },
};

interface KeyRangeNode {
  readonly query: string;
  readonly params: readonly unknown[];
  readonly connection?: string;
  readonly partitionBy: PartitionByParam;
}

export const keyRangePlanner: PartitionPlanner<KeyRangeNode, KeyRange> = {
  kind: 'key-range',
  stored: true,
  async plan(node: PlannedNode<KeyRangeNode>, services): Promise<PartitionPlan<KeyRange>> {
    const p = node.params;
    const pool = dataOf(node.nodeId, services).pool(p.connection);
    const plan = await planKeyRanges(pool, {
      nodeId: node.nodeId,
      query: p.query,
      params: p.params,
      column: p.partitionBy.column,
      parts: p.partitionBy.parts,
    });
    return { partitions: plan.ranges, fingerprint: fingerprintOf('key-range', plan.keyType, plan.ranges) };
  },
};
