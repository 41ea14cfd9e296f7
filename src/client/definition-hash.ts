/** A stable fingerprint of a pipeline definition, kept in each run's memo: same content, same hash. */
import { createHash } from 'node:crypto';
import type { PipelineDefinition } from '../dag/schema';

/** JSON with object keys sorted at every level and undefined values left out, so key order never matters. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value) ?? 'null';
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const entries = Object.entries(value as Record<string, unknown>)
    .filter(([, v]) => v !== undefined)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonicalJson(v)}`).join(',')}}`;
}

/**
 * `sha256:<hex>` of the validated definition (defaults applied), so two files that differ only in layout, key
 * order, comments or spelt-out defaults hash the same.
 */
export function definitionHash(definition: PipelineDefinition): string {
  return `sha256:${createHash('sha256').update(canonicalJson(definition)).digest('hex')}`;
}
