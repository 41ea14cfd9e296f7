/** Builds the activities from their dependencies (the worker owns connections and registries). */
import type { PipewrightMetrics } from '../src/metrics/metrics';
import type { NodeTypeRegistry } from '../src/nodes/registry';
import type { PipewrightActivities } from './contract';
import { createRunNode } from './run-node';

export interface ActivityDeps {
  readonly registry: NodeTypeRegistry;
  readonly taskQueue?: string;
  readonly metrics?: PipewrightMetrics;
}

export function createActivities(deps: ActivityDeps): PipewrightActivities {
  return { runNode: createRunNode(deps) };
}

export type { PipewrightActivities, RunNodeInput, RunNodeResult } from './contract';
