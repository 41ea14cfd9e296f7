/** `source.ndjson`: rows from a file of one JSON object per line, taken by column name and checked by type. */
import { InputFileError } from '../../data/errors';
import { sourceFile } from '../../data/files/input-file';
import { SourceChecks } from '../../data/rows/source-checks';
import type { RowChunk } from '../../data/rows/batch';
import { NdjsonFormatError, readNdjsonFile } from '../../data/formats/ndjson-source';
import { defineStreamNode } from './define';
import { sourceNdjsonDescription } from '../../model/nodes/source-ndjson';

export const sourceNdjson = defineStreamNode(sourceNdjsonDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const { path: input, resolved: file } = await sourceFile(ctx, p.path);
    const it = readNdjsonFile(file, { columns: p.columns })[Symbol.asyncIterator]();
    const checks = new SourceChecks(ctx.nodeId, p.columns, p.maxRejects);
    async function* chunks(): AsyncGenerator<RowChunk> {
      try {
        for (let r = await it.next(); !r.done; r = await it.next()) yield checks.apply(r.value);
      } catch (err) {
        if (err instanceof NdjsonFormatError) throw new InputFileError(ctx.nodeId, input, err.message);
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
});
