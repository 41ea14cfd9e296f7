/**
 * Which built-in node types stream rows, and in which role. Pure: the workflow uses it to fuse chains and to
 * know whether a run has staging to drop.
 */

export const StreamRole = { source: 'source', transform: 'transform', sink: 'sink' } as const;
export type StreamRole = (typeof StreamRole)[keyof typeof StreamRole];

/** Built-in streaming node types and their roles. */
export const STREAM_ROLES: Readonly<Record<string, StreamRole>> = {
  'source.csv': 'source',
  'source.ndjson': 'source',
  'source.postgres': 'source',
  'source.http': 'source',
  'transform.map': 'transform',
  'transform.filter': 'transform',
  'transform.lookup': 'transform',
  'sink.postgres': 'sink',
  'sink.file': 'sink',
};

/** Built-in node types that read or write Postgres (their runs may leave staging tables). */
export const DATA_NODE_TYPES: ReadonlySet<string> = new Set([...Object.keys(STREAM_ROLES), 'transform.sql']);

export const streamRole = (type: string): StreamRole | undefined =>
  Object.prototype.hasOwnProperty.call(STREAM_ROLES, type) ? STREAM_ROLES[type] : undefined;
