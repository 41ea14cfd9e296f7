/** `source.csv`: rows from an RFC 4180 CSV file, checked against the declared column types. */
import { InputFileError } from '../../data/errors';
import { sourceFile } from '../../data/files/input-file';
import { SourceChecks } from '../../data/rows/source-checks';
import { CsvFormatError } from '../../data/formats/csv-options';
import { readCsvFile } from '../../data/formats/csv-source';
import { readCsvPart, type CsvPart } from '../../data/partitions/csv-ranges';
import { csvColumns } from './csv-columns';
import { defineStreamNode } from './define';
import { sourceCsvDescription } from '../../model/nodes/source-csv';

export const sourceCsv = defineStreamNode(sourceCsvDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const { path: input, resolved: file } = await sourceFile(ctx, p.path);
    const options = { header: p.header, delimiter: p.delimiter, quote: p.quote, nulls: p.nulls };
    // One part of a split file (`split`), as the run's listing planned it; else the whole file.
    const part = ctx.partition?.descriptor as CsvPart | undefined;
    const reader =
      part?.kind === 'byte-range' ? await readCsvPart(ctx.nodeId, file, part, options) : readCsvFile(file, options);
    const it = reader[Symbol.asyncIterator]();
    const fail = (err: unknown): never => {
      if (err instanceof CsvFormatError) throw new InputFileError(ctx.nodeId, input, err.message);
      throw err;
    };
    // The header is known once the first chunk is read; the columns may come from it.
    const head = await it.next().catch(fail);
    const { columns, renamed, renamedCount } = csvColumns(ctx.nodeId, p, reader.header);
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    return {
      columns,
      chunks: checks.checked(it, fail, head),
      stats: () => ({ ...checks.stats(), ...(renamedCount > 0 ? { headersRenamed: renamedCount } : {}) }),
      value: () => (renamedCount > 0 ? { renamedHeaders: renamed } : undefined),
      close: async () => void (await it.return?.(undefined)),
    };
  },
});
