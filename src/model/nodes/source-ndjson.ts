/** `source.ndjson`: rows from a file of one JSON object per line, taken by column name and checked by type. */
import { z } from 'zod';
import { ColumnsSchema } from '../columns/columns';
import { MaxRejectsSchema } from '../max-rejects';
import { PathParam } from './common-params';
import { describeNode } from './describe';

export const SourceNdjsonParams = z
  .object({
    path: PathParam,
    /** The keys to take from each object, with their types, in output order. A missing key is NULL. */
    columns: ColumnsSchema,
    /** Malformed lines tolerated (a count, or `{ ratio }` of the records) before the node fails; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type SourceNdjsonParams = z.output<typeof SourceNdjsonParams>;

export const sourceNdjsonDescription = describeNode({
  name: 'source.ndjson',
  description: 'Reads an NDJSON file (one JSON object per line), taking the declared columns by key.',
  params: SourceNdjsonParams,
  stream: 'source',
  staging: true,
});
