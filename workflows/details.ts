/** The run's current details, shown in the Temporal Web UI (markdown). Deterministic. */
import type { RunStatus } from '../src/dag/state';

export function renderDetails(status: RunStatus): string {
  const c = status.counts;
  const done = c.succeeded + c.cached + c.failed + c.skipped + c.cancelled;
  const lines = [
    `**${status.pipeline.name}@${status.pipeline.version}**: ${status.state}${status.paused ? ` (paused, ${status.pauseMode ?? 'drain'})` : ''}`,
    '',
    `${done}/${status.nodes.length} nodes done: ${c.succeeded} succeeded${c.cached > 0 ? `, ${c.cached} cached` : ''}, ${c.failed} failed, ${c.skipped} skipped, ${c.cancelled} cancelled; ${c.running} running, ${c.pending} pending.`,
  ];
  const failed = status.nodes.filter((n) => n.state === 'failed').slice(0, 10);
  for (const n of failed) lines.push(`- failed \`${n.id}\`: ${n.error?.message ?? ''}`);
  return lines.join('\n');
}
