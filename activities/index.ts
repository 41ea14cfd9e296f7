/** Builds the activities from their dependencies (the worker owns connections and registries). */
import type { DataServices } from '../src/data/services';
import type { PipewrightMetrics } from '../src/platform/metrics/metrics';
import type { NodeTypes } from '../src/nodes/node-types';
import type { PipewrightActivities } from '../src/engine/contract';
import { createDropStaging } from './drop-staging';
import { createFindDatasets } from './find-datasets';
import { createNotify, type NotifyDeps } from './notify';
import { createLoadDefinition } from './load-definition';
import { createDefinitionRegistry } from '../src/platform/registry';
import { createMemoStore } from '../src/data/memo/memo-store';
import { createRunNode } from './run-node';
import { createListPartitions } from './list-partitions';

export interface ActivityDeps {
  readonly nodeTypes: NodeTypes;
  readonly data: DataServices;
  /** Named connections (`DATABASE_URL_<NAME>`); their databases may hold staging too. */
  readonly connectionNames?: readonly string[];
  readonly taskQueue?: string;
  readonly metrics?: PipewrightMetrics;
  /** Webhooks of `notify` (by name, `''` the default), the Web UI's address and the namespace, for run links. */
  readonly notify?: Omit<NotifyDeps, 'data'>;
}

export function createActivities(deps: ActivityDeps): PipewrightActivities {
  const pool = deps.data.pool();
  const definitions = createDefinitionRegistry({
    pool,
    schema: deps.data.projectSchema,
    cache: deps.data.cache,
    ready: () => deps.data.ready(pool),
  });
  return {
    runNode: createRunNode({ ...deps, memo: createMemoStore(deps.data) }),
    loadDefinition: createLoadDefinition(definitions),
    dropStaging: createDropStaging(deps.data, deps.connectionNames ?? []),
    findDatasets: createFindDatasets(deps.data),
    notify: createNotify({ data: deps.data, webhooks: {}, namespace: 'default', ...deps.notify }),
    listPartitions: createListPartitions(deps),
  };
}

export type { PipewrightActivities, RunNodeInput, RunNodeResult } from '../src/engine/contract';
