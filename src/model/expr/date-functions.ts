/**
 * Date functions: the date of a timestamp (in UTC or a named time zone), formatting, and arithmetic on dates and
 * timestamps. Pure: templates render with them inside the workflow, from the run's logical date.
 */
import type { Compiled } from './compiled';
import { checkDate } from '../columns/temporal';
import { arity, fail, strict, want, type Fn } from './signature';
import { parseTimestamp, type ExprType } from './values';

const DAY_MS = 86_400_000;

/** A validated IANA time zone name given as a literal, or undefined for UTC. */
function zoneArg(name: string, arg: Compiled | undefined): string | undefined {
  if (arg === undefined) return undefined;
  want(name, arg, 'text');
  const zone = arg.literal;
  if (zone === undefined) return fail(`${name}() takes the time zone as a literal, such as 'Europe/Berlin'`);
  if (!isTimeZone(zone)) fail(`${name}(): unknown time zone ${JSON.stringify(zone)}; use an IANA name such as 'UTC'`);
  return zone;
}

/** Whether `zone` is a time zone this runtime knows (IANA names such as `Europe/Berlin`, and `UTC`). */
export function isTimeZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

interface Parts {
  readonly YYYY: string;
  readonly MM: string;
  readonly DD: string;
  readonly HH: string;
  readonly mm: string;
  readonly ss: string;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

/** The calendar fields of an instant, in UTC or in `zone`. */
function partsOf(at: Date, zone: string | undefined): Parts {
  if (zone === undefined) {
    const iso = at.toISOString();
    const [YYYY, MM, DD, HH, mm, ss] = [iso.slice(0, 4), iso.slice(5, 7), iso.slice(8, 10)].concat(
      iso.slice(11, 13),
      iso.slice(14, 16),
      iso.slice(17, 19),
    ) as [string, string, string, string, string, string];
    return { YYYY, MM, DD, HH, mm, ss };
  }
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
      second: '2-digit',
    });
    formatters.set(zone, f);
  }
  const get = (type: Intl.DateTimeFormatPartTypes): string =>
    f.formatToParts(at).find((p) => p.type === type)?.value ?? '';
  return {
    YYYY: get('year').padStart(4, '0'),
    MM: get('month'),
    DD: get('day'),
    HH: get('hour'),
    mm: get('minute'),
    ss: get('second'),
  };
}

/** A date or timestamp value (`YYYY-MM-DD` string or Date) as an instant; a date is its midnight in UTC. */
function instantOf(v: string | Date): Date {
  if (v instanceof Date) return v;
  const problem = checkDate(v.slice(0, 10));
  if (problem) throw new Error(`${JSON.stringify(v)}: ${problem}`);
  return v.length > 10 ? parseTimestamp(v) : new Date(`${v.slice(0, 10)}T00:00:00Z`);
}

const dateOf = (p: Parts): string => `${p.YYYY}-${p.MM}-${p.DD}`;

function addMonths(at: Date, n: number): Date {
  const d = new Date(at.getTime());
  const day = d.getUTCDate();
  d.setUTCDate(1);
  d.setUTCMonth(d.getUTCMonth() + n);
  const last = new Date(Date.UTC(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();
  d.setUTCDate(Math.min(day, last));
  return d;
}

/** `add_days(x, n)` and the like: a date stays a date, a timestamp a timestamp (text is read as a date). */
function shift(name: string, by: (at: Date, n: number) => Date, keepsDates: boolean): Fn {
  return (args) => {
    arity(name, args, 2);
    const [x, n] = args as [Compiled, Compiled];
    want(name, x, 'date', 'timestamptz', 'text');
    want(name, n, 'int');
    const type: ExprType = x.type === 'timestamptz' || !keepsDates ? 'timestamptz' : 'date';
    return strict(type, args, ((v: string | Date, k: number) => {
      const out = by(instantOf(v), k);
      return type === 'date' ? out.toISOString().slice(0, 10) : out;
    }) as never);
  };
}

const TOKENS = /YYYY|MM|DD|HH|mm|ss/g;

export const DATE_FUNCTIONS: Record<string, Fn> = {
  date: (args) => {
    arity('date', args, 1, 2);
    want('date', args[0] as Compiled, 'date', 'timestamptz', 'text');
    const zone = zoneArg('date', args[1]);
    // A date is its own date in every zone; a timestamp's date depends on the zone (UTC by default).
    return strict('date', args.slice(0, 1), ((v: string | Date) =>
      typeof v === 'string' && v.length === 10
        ? dateOf(partsOf(instantOf(v), undefined))
        : dateOf(partsOf(instantOf(v), zone))) as never);
  },
  format_date: (args) => {
    arity('format_date', args, 2, 3);
    want('format_date', args[0] as Compiled, 'date', 'timestamptz', 'text');
    want('format_date', args[1] as Compiled, 'text');
    const pattern = (args[1] as Compiled).literal;
    if (pattern === undefined) fail("format_date() takes the pattern as a literal, such as 'YYYYMMDD'");
    const zone = zoneArg('format_date', args[2]);
    return strict('text', args.slice(0, 1), ((v: string | Date) => {
      const p = partsOf(instantOf(v), typeof v === 'string' && v.length === 10 ? undefined : zone);
      return (pattern as string).replace(TOKENS, (t) => p[t as keyof Parts]);
    }) as never);
  },
  add_days: shift('add_days', (at, n) => new Date(at.getTime() + n * DAY_MS), true),
  add_months: shift('add_months', addMonths, true),
  add_hours: shift('add_hours', (at, n) => new Date(at.getTime() + n * 3_600_000), false),
  add_minutes: shift('add_minutes', (at, n) => new Date(at.getTime() + n * 60_000), false),
};
