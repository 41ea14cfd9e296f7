/** `sink.file`: writes rows to a CSV or NDJSON file that appears whole or not at all. */
import { z } from 'zod';
import { DelimiterParam, PathParam } from './common-params';
import { describeNode } from './describe';

export const FILE_FORMATS = ['csv', 'ndjson'] as const;

export const SinkFileParams = z
  .object({
    path: PathParam,
    /** csv or ndjson; default from the extension (`.ndjson`, `.jsonl` are NDJSON, anything else CSV). */
    format: z.enum(FILE_FORMATS).optional(),
    /** CSV only: write a header line with the column names; default true. */
    header: z.boolean().default(true),
    /** CSV only. */
    delimiter: DelimiterParam,
  })
  .strict();
export type SinkFileParams = z.output<typeof SinkFileParams>;

/** The file's format: `format`, else from the extension (`.ndjson`, `.jsonl` are NDJSON, anything else CSV). */
export const formatOf = (p: SinkFileParams): 'csv' | 'ndjson' =>
  p.format ?? (/\.(ndjson|jsonl)$/i.test(p.path) ? 'ndjson' : 'csv');

export const sinkFileDescription = describeNode({
  name: 'sink.file',
  description: 'Writes rows to a CSV or NDJSON file, atomically (temp file, fsync, rename).',
  params: SinkFileParams,
  stream: 'sink',
  staging: true,
});
