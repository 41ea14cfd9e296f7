/**
 * Form checks for `date` and `timestamptz` CSV values: ISO 8601 only, so that the result never depends on the
 * session's DateStyle, with real calendar ranges, so that Postgres never refuses a value that passed.
 */

function num2(v: string, i: number): number {
  const a = v.charCodeAt(i) - 48;
  const b = v.charCodeAt(i + 1) - 48;
  return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : -1;
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0 ? 29 : 28;
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31;
}

/** Checks `YYYY-MM-DD` at the start of `v`; returns the reason or undefined. */
function checkDatePart(v: string): string | undefined {
  const hi = num2(v, 0);
  const lo = num2(v, 2);
  if (hi < 0 || lo < 0 || v.charCodeAt(4) !== 45 || v.charCodeAt(7) !== 45) return 'expected YYYY-MM-DD';
  const year = hi * 100 + lo;
  const month = num2(v, 5);
  const day = num2(v, 8);
  if (year === 0) return 'year 0000 does not exist';
  if (month < 1 || month > 12) return 'month out of range';
  if (day < 1 || day > daysInMonth(year, month)) return 'day out of range for the month';
  return undefined;
}

/** Checks a `date` value (`YYYY-MM-DD`). */
export function checkDate(v: string): string | undefined {
  const problem = v.length !== 10 ? 'expected YYYY-MM-DD' : checkDatePart(v);
  return problem && `not a date: ${problem}`;
}

/** Checks a time zone offset from `i` to the end: `Z`, `±HH`, `±HHMM` or `±HH:MM`. */
function checkOffset(v: string, i: number): boolean {
  if (i === v.length) return true;
  const c = v.charCodeAt(i);
  if (c === 90 || c === 122) return i + 1 === v.length;
  if (c !== 43 && c !== 45) return false;
  const h = num2(v, i + 1);
  if (h < 0 || h > 15) return false;
  const rest = v.length - (i + 3);
  if (rest === 0) return true;
  const m = rest === 2 ? num2(v, i + 3) : rest === 3 && v.charCodeAt(i + 3) === 58 ? num2(v, i + 4) : -1;
  return m >= 0 && m < 60;
}

/**
 * Checks a `timestamptz` value: `YYYY-MM-DD`, optionally followed by `T` or a space and `HH:MM[:SS[.fff]]`,
 * optionally followed by `Z` or an offset. Without an offset Postgres uses the session time zone.
 */
export function checkTimestamptz(v: string): string | undefined {
  const datePart = v.length < 10 ? 'expected YYYY-MM-DD' : checkDatePart(v);
  if (datePart) return `not a timestamp: ${datePart}`;
  if (v.length === 10) return undefined;
  const sep = v.charCodeAt(10);
  if (sep !== 84 && sep !== 32 && sep !== 116) return 'not a timestamp: expected T or a space after the date';
  const hour = num2(v, 11);
  const minute = v.charCodeAt(13) === 58 ? num2(v, 14) : -1;
  if (hour < 0 || hour > 23 || minute < 0 || minute > 59)
    return 'not a timestamp: expected HH:MM in range after the date';
  let i = 16;
  if (v.charCodeAt(i) === 58) {
    const second = num2(v, i + 1);
    if (second < 0 || second > 60) return 'not a timestamp: seconds out of range';
    i += 3;
    if (v.charCodeAt(i) === 46) {
      const from = ++i;
      for (let c = v.charCodeAt(i); c >= 48 && c <= 57; c = v.charCodeAt(++i));
      if (i === from) return 'not a timestamp: expected digits after the decimal point';
    }
  }
  if (v.charCodeAt(i) === 32) i++;
  return checkOffset(v, i) ? undefined : 'not a timestamp: bad time zone offset (expected Z, ±HH, ±HHMM or ±HH:MM)';
}
