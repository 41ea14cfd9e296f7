/** Times for people: a local wall clock for progress lines, durations between ISO times. */
import { formatDuration } from '../model/duration';

/** `12:00:01` in local time. */
export function clockTime(iso: string | Date): string {
  const d = typeof iso === 'string' ? new Date(iso) : iso;
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

/** `2026-11-22 15:45:01` in local time. */
export function dateTime(d: Date): string {
  const pad = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())} ${clockTime(d)}`;
}

/** The duration between two ISO times, or an empty string when either is missing. */
export function between(start: string | undefined, end: string | undefined): string {
  if (!start || !end) return '';
  return formatDuration(Math.max(0, Date.parse(end) - Date.parse(start)));
}
