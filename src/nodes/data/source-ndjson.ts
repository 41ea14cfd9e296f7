/** `source.ndjson`: rows from a file of one JSON object per line, taken by column name and checked by type. */
import { z } from 'zod';
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/files/input-file';
import { SourceChecks } from '../../data/rows/source-checks';
import type { RowChunk } from '../../data/rows/batch';
import { ColumnsSchema } from '../../model/columns/columns';
import { MaxRejectsSchema } from '../../model/max-rejects';
import { NdjsonFormatError, readNdjsonFile } from '../../data/formats/ndjson-source';
import { PathParam } from './common-params';
import { defineStreamNode } from './define';

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

export const sourceNdjson = defineStreamNode({
  name: 'source.ndjson',
  description: 'Reads an NDJSON file (one JSON object per line), taking the declared columns by key.',
  params: SourceNdjsonParams,
  stream: {
    role: 'source',
    async openSource(ctx) {
      const p = ctx.params;
      const file = await checkReadableFile(ctx.nodeId, p.path);
      const it = readNdjsonFile(file, { columns: p.columns })[Symbol.asyncIterator]();
      const checks = new SourceChecks(ctx.nodeId, p.columns, p.maxRejects);
      async function* chunks(): AsyncGenerator<RowChunk> {
        try {
          for (let r = await it.next(); !r.done; r = await it.next()) yield checks.apply(r.value);
        } catch (err) {
          if (err instanceof NdjsonFormatError) throw new InputFileError(ctx.nodeId, p.path, err.message);
          throw err;
        }
        checks.finish();
      }
      return {
        columns: p.columns,
        chunks: chunks(),
        stats: () => checks.stats(),
        close: async () => void (await it.return?.(undefined)),
      };
    },
  },
});
