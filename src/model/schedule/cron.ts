/**
 * Checks a cron expression as Temporal Schedules read it (minute hour day-of-month month day-of-week, or a shortcut
 * such as `@daily`) before a schedule is created, so that a mistake is named by its field. Pure.
 */

interface Field {
  readonly name: string;
  readonly min: number;
  readonly max: number;
  readonly names?: readonly string[];
}

const FIELDS: readonly Field[] = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day-of-month', min: 1, max: 31 },
  {
    name: 'month',
    min: 1,
    max: 12,
    names: ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'],
  },
  // 0 and 7 are both Sunday.
  { name: 'day-of-week', min: 0, max: 7, names: ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'] },
];

const SHORTCUTS = ['@yearly', '@annually', '@monthly', '@weekly', '@daily', '@midnight', '@hourly'];

/** The value of one number or name in `field`, or the reason it is not one. */
function valueOf(text: string, field: Field): number | string {
  if (/^\d+$/.test(text)) {
    const n = Number(text);
    return n >= field.min && n <= field.max ? n : `"${text}" is out of range ${field.min}-${field.max}`;
  }
  const at = field.names?.indexOf(text.toUpperCase()) ?? -1;
  if (at >= 0) return at + (field.name === 'month' ? 1 : 0);
  return field.names
    ? `"${text}" is neither a number ${field.min}-${field.max} nor a name (${field.names.join(', ')})`
    : `"${text}" is not a number ${field.min}-${field.max}`;
}

function checkItem(item: string, field: Field): string | undefined {
  const [range, step, extra] = item.split('/');
  if (extra !== undefined || range === undefined || range === '') return `"${item}" is not a value, range or step`;
  if (step !== undefined && !/^[1-9]\d*$/.test(step)) return `step "${step}" in "${item}" must be a positive number`;
  if (range === '*' || (range === '?' && (field.name === 'day-of-month' || field.name === 'day-of-week')))
    return undefined;
  const [from, to, more] = range.split('-');
  if (more !== undefined || from === undefined || from === '') return `"${range}" is not a value or a range a-b`;
  const a = valueOf(from, field);
  if (typeof a === 'string') return a;
  if (to === undefined) return undefined;
  const b = valueOf(to, field);
  if (typeof b === 'string') return b;
  return a <= b ? undefined : `range "${range}" runs backwards`;
}

/** The problem with `expression`, naming its field, or undefined when Temporal will accept it. */
export function cronProblem(expression: string): string | undefined {
  const text = expression.trim();
  if (text.startsWith('@'))
    return SHORTCUTS.includes(text.toLowerCase())
      ? undefined
      : `cron "${expression}": unknown shortcut ${text}; use one of ${SHORTCUTS.join(', ')}, or five fields`;
  const parts = text.split(/\s+/).filter((p) => p !== '');
  if (parts.length !== FIELDS.length)
    return `cron "${expression}": expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`;
  for (const [i, part] of parts.entries()) {
    const field = FIELDS[i] as Field;
    for (const item of part.split(',')) {
      const problem = checkItem(item, field);
      if (problem) return `cron "${expression}": ${field.name} field "${part}": ${problem}`;
    }
  }
  return undefined;
}
