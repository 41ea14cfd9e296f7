/** The run's current details, shown in the Temporal Web UI (markdown). Deterministic. */
import type { RunStatus } from '../src/model/state';
import { failedPartitionLines, partitionsText } from '../src/model/partitions';
import { rowsOfStats } from '../src/model/stats-rows';

/** What the details show: a status snapshot, or the tracker's live view of the same fields. */
export type DetailsInput = Pick<RunStatus, 'pipeline' | 'state' | 'pauseMode' | 'counts' | 'nodes' | 'rerunOf'>;

export function renderDetails(status: DetailsInput): string {
  const c = status.counts;
  const done = c.succeeded + c.cached + c.failed + c.skipped + c.cancelled;
  const state =
    status.state === 'paused'
      ? `paused (${status.pauseMode ?? 'drain'})`
      : status.state === 'held'
        ? 'held: waiting for an operator to retry or skip the held nodes'
        : status.state;
  const lines = [
    `**${status.pipeline.name}@${status.pipeline.version}**: ${state}`,
    '',
    // "x of y", not "x/y": the Web UI's markdown turns 1/8 into a fraction.
    `${done} of ${status.nodes.length} nodes done: ${c.succeeded} succeeded${c.cached > 0 ? `, ${c.cached} cached` : ''}, ${c.failed} failed, ${c.skipped} skipped, ${c.cancelled} cancelled; ${c.held > 0 ? `${c.held} held, ` : ''}${c.running} running, ${c.pending} pending.`,
  ];
  if (status.rerunOf) {
    const reused = status.nodes.filter((n) => n.reused).map((n) => `\`${n.id}\``);
    lines.push(
      '',
      `rerun of \`${status.rerunOf.workflowId}\`; reused: ${reused.length > 0 ? reused.join(', ') : 'nothing'}`,
    );
  }
  const running = status.nodes.filter((n) => n.state === 'running');
  if (running.length > 0) {
    const more = running.length > 10 ? ` and ${running.length - 10} more` : '';
    lines.push(
      '',
      `running: ${running
        .slice(0, 10)
        .map(
          (n) =>
            `\`${n.id}\` (${n.type}${n.partitions ? `: ${partitionsText(n.partitions)}${rowsNote(n.partitions)}` : ''})`,
        )
        .join(', ')}${more}`,
      '',
    );
  }
  for (const n of status.nodes.filter((x) => x.waitingForWorker !== undefined).slice(0, 10))
    lines.push(
      `- waiting for a worker: \`${n.id}\` on task queue \`${n.waitingForWorker ?? ''}\` since ${n.startedAt ?? ''}: no worker polls that queue, or all of its workers are busy`,
    );
  const failed = status.nodes.filter((n) => n.state === 'failed' || n.state === 'held').slice(0, 10);
  for (const n of failed) lines.push(`- ${n.state} \`${n.id}\`: ${n.error?.message ?? ''}`);
  for (const n of status.nodes)
    if (n.partitions?.failures?.length)
      for (const line of failedPartitionLines(n.id, n.partitions)) lines.push(`- ${line}`);
  return lines.join('\n');
}

/** `; 12000 rows` done so far by a partitioned unit (the most any of its nodes counts), or nothing. */
function rowsNote(p: NonNullable<DetailsInput['nodes'][number]['partitions']>): string {
  const counts = Object.values(p.stats).map((s) => rowsOfStats(s) ?? 0);
  return counts.length === 0 ? '' : `; ${Math.max(...counts)} rows`;
}
