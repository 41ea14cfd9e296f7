/**
 * The log line of one decode or encode request: what was asked, by whom, for which namespace, how many payloads,
 * and the answer. Never the payloads, the Authorization header or the query string.
 */

export interface CodecRequestRecord {
  readonly method: string;
  /** The URL's path, without its query. */
  readonly path: string;
  readonly namespace: string | undefined;
  /** `token:<id>`, `jwt:<sub>`, `none` (no credentials asked) or `-` (none valid). */
  readonly credential: string;
  /** Undefined when the body was not read (a refusal) or did not parse. */
  readonly payloads?: number;
  readonly status: number;
  /** Why it failed, for a status of 400 or more. */
  readonly reason?: string;
}

/** Header values and JWT subjects come from the caller: printable ASCII only, and not too long. */
const printable = (value: string): string => value.replace(/[^\x21-\x7e]/g, '?').slice(0, 200);

export function codecRequestLine(r: CodecRequestRecord): string {
  const fields = [
    `codec ${printable(r.method)} ${printable(r.path)}`,
    `namespace=${r.namespace === undefined ? '-' : printable(r.namespace)}`,
    `credential=${printable(r.credential)}`,
    `payloads=${r.payloads ?? '-'}`,
    `-> ${r.status}${r.reason ? ` ${r.reason.replace(/[\r\n]+/g, ' ').slice(0, 300)}` : ''}`,
  ];
  return fields.join(' ');
}
