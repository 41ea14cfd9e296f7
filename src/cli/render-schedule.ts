/** Text views of schedules: the list, and one schedule with its next fires and latest runs. */
import type { BackfillProgress, ScheduleListItem, ScheduleView } from '../client/schedules';
import type { ScheduleTiming } from '../model/schedule/timing';
import { dateTime } from './clock';
import { renderTable } from './table';

/** `cron "0 2 * * *" (Europe/Berlin)` or `every 1h (offset 5m)`, with jitter. */
export function renderTiming(t: ScheduleTiming): string {
  const when =
    t.cron !== undefined
      ? `cron "${t.cron}"${t.timezone ? ` (${t.timezone})` : ' (UTC)'}`
      : t.every !== undefined
        ? `every ${String(t.every)}${t.offset ? ` (offset ${String(t.offset)})` : ''}`
        : 'calendar spec';
  return `${when}${t.jitter ? `, jitter ${String(t.jitter)}` : ''}`;
}

export function renderScheduleList(items: readonly ScheduleListItem[]): string {
  if (items.length === 0) return 'no schedules';
  const rows = items.map((s) => [
    s.scheduleId,
    s.target ?? '',
    renderTiming(s.timing),
    s.paused ? `paused${s.note ? `: ${s.note}` : ''}` : 'active',
    s.nextFire && !s.paused ? dateTime(s.nextFire) : '',
    s.lastRun ? dateTime(s.lastRun.scheduledAt) : '',
  ]);
  return renderTable(['schedule', 'runs', 'when', 'state', 'next fire', 'last run'], rows);
}

export function renderSchedule(v: ScheduleView): string {
  const lines = [
    `${v.scheduleId}  ${v.target}  ${v.paused ? 'paused' : 'active'}`,
    `when: ${renderTiming(v.timing)}; overlap ${v.timing.overlap ?? 'skip'}${
      v.timing.catchupWindow ? `; catch-up window ${String(v.timing.catchupWindow)}` : ''
    }`,
  ];
  if (v.note) lines.push(`note: ${v.note}`);
  if (v.params && Object.keys(v.params).length > 0)
    lines.push(
      `params: ${Object.entries(v.params)
        .map(([k, x]) => `${k}=${String(x)}`)
        .join(' ')}`,
    );
  lines.push(
    `runs started ${v.actionsTaken}, running ${v.runningRuns}, skipped for overlap ${v.skippedOverlap}, missed the catch-up window ${v.missedCatchupWindow}`,
  );
  lines.push('', v.paused ? 'next fires (once unpaused):' : 'next fires:');
  for (const at of v.nextFires) lines.push(`  ${at.toISOString()}`);
  if (v.nextFires.length === 0) lines.push('  none');
  lines.push('', 'recent runs:');
  if (v.recentRuns.length === 0) lines.push('  none yet');
  else
    lines.push(
      renderTable(
        ['scheduled for', 'workflow id', 'outcome', 'why'],
        v.recentRuns.map((r) => [r.scheduledAt.toISOString(), r.workflowId, r.state, r.message ?? '']),
      ),
    );
  return lines.join('\n');
}

/** `[12:00:01] 3/5 done: 3 completed, 0 failed; 1 running` */
export function renderBackfill(p: BackfillProgress): string {
  const ended = p.completed + p.failed + p.other;
  const other = p.other > 0 ? `, ${p.other} cancelled or terminated` : '';
  return `${ended}/${p.expected} done: ${p.completed} completed, ${p.failed} failed${other}; ${p.running} running`;
}
