/** `source.ndjson`: rows from a file of one JSON object per line, taken by column name and checked by type. */
import { z } from 'zod';
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/input-file';
import { RejectGate, tagRejects } from '../../data/reject-gate';
import type { RowChunk } from '../../stream/batch';
import { ColumnsSchema, compileRowCheck } from '../../stream/columns';
import { MaxRejectsSchema } from '../../stream/max-rejects';
import { NdjsonFormatError, readNdjsonFile } from '../../stream/ndjson-source';
import { validateChunk } from '../../stream/validate-chunk';
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
      const check = compileRowCheck(p.columns);
      const gate = new RejectGate(ctx.nodeId, p.maxRejects);
      let rows = 0;
      async function* chunks(): AsyncGenerator<RowChunk> {
        try {
          for (let r = await it.next(); !r.done; r = await it.next()) {
            const chunk = validateChunk(r.value, check);
            if (chunk.rejects.length > 0) chunk.rejects = tagRejects(chunk.rejects, ctx.nodeId);
            gate.count(chunk.recordCount, chunk.rejects);
            rows += chunk.rows.length;
            yield chunk;
          }
        } catch (err) {
          if (err instanceof NdjsonFormatError) throw new InputFileError(ctx.nodeId, p.path, err.message);
          throw err;
        }
        gate.finish();
      }
      return {
        columns: p.columns,
        chunks: chunks(),
        stats: () => ({ rowsRead: gate.totals.records, rowsRejected: gate.totals.rejected, rows }),
        close: async () => void (await it.return?.(undefined)),
      };
    },
  },
});
