/**
 * A rerun's plan: asks the `findDatasets` activity which datasets of the repeated run's succeeded nodes are still
 * there, then decides (src/model/rerun.ts) which nodes reuse their output and which run again. Deterministic.
 */
import { proxyActivities } from '@temporalio/workflow';
import type { PipewrightActivities } from '../src/engine/contract';
import type { RerunInput } from '../src/engine/run-input';
import { planRerun, reusableDatasets, type RerunPlan } from '../src/model/rerun';
import type { PipelineDefinition } from '../src/model/schema';

const { findDatasets } = proxyActivities<PipewrightActivities>({
  activityId: 'find-datasets',
  summary: 'find the outputs a rerun can reuse',
  startToCloseTimeout: '1m',
  // Postgres away is waited out, as for any node.
  retry: { initialInterval: '1s', maximumInterval: '30s' },
});

export async function planReuse(definition: PipelineDefinition, rerun: RerunInput): Promise<RerunPlan> {
  const connectionOf = new Map(
    definition.nodes.map((n) => [n.id, (n.params as { connection?: unknown }).connection] as const),
  );
  const candidates = reusableDatasets(rerun.previous);
  const present = new Set<string>();
  if (candidates.length > 0) {
    const found = await findDatasets({
      datasets: candidates.map(({ id, output }) => {
        const connection = connectionOf.get(id);
        return {
          nodeId: id,
          dataset: output.dataset as NonNullable<typeof output.dataset>,
          ...(typeof connection === 'string' ? { connection } : {}),
        };
      }),
    });
    for (const id of found.present) present.add(id);
  }
  return planRerun(definition.nodes, rerun.previous, rerun.from, (id) => present.has(id));
}
