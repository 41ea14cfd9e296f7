/** Workflow ids people can read: `<pipeline name>--<run key>`. */
import { randomBytes } from 'node:crypto';
import { InvalidOptionError } from './errors';

export const RUN_KEY_RE = /^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/;
const SEPARATOR = '--';

const pad = (n: number): string => String(n).padStart(2, '0');

/** A UTC timestamp plus four random hex digits, e.g. `20261122-154501-ab12`. */
export function defaultRunKey(
  now: Date = new Date(),
  random: () => string = () => randomBytes(2).toString('hex'),
): string {
  const date = `${now.getUTCFullYear()}${pad(now.getUTCMonth() + 1)}${pad(now.getUTCDate())}`;
  const time = `${pad(now.getUTCHours())}${pad(now.getUTCMinutes())}${pad(now.getUTCSeconds())}`;
  return `${date}-${time}-${random()}`;
}

/** Throws {@link InvalidOptionError} unless `runKey` is safe in a workflow id. */
export function checkRunKey(runKey: string): string {
  if (!RUN_KEY_RE.test(runKey) || runKey.includes(SEPARATOR))
    throw new InvalidOptionError(
      'run key',
      `"${runKey}" is not a valid run key: start with a letter or digit, then letters, digits, ".", "_" or "-" (not "--"), at most 100 characters`,
    );
  return runKey;
}

export function workflowIdFor(pipelineName: string, runKey: string): string {
  return `${pipelineName}${SEPARATOR}${checkRunKey(runKey)}`;
}

/** Splits a workflow id made by {@link workflowIdFor}; undefined for ids made otherwise. */
export function parseWorkflowId(workflowId: string): { pipeline: string; runKey: string } | undefined {
  const at = workflowId.lastIndexOf(SEPARATOR);
  if (at <= 0) return undefined;
  return { pipeline: workflowId.slice(0, at), runKey: workflowId.slice(at + SEPARATOR.length) };
}
