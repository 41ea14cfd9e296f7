/** `source.csv`: rows from an RFC 4180 CSV file, checked against the declared column types. */
import { InputFileError } from '../../data/errors';
import { checkReadableFile } from '../../data/files/input-file';
import { SourceChecks } from '../../data/rows/source-checks';
import type { RowChunk } from '../../data/rows/batch';
import { headerProblem, type ColumnSpec } from '../../model/columns/columns';
import { CsvFormatError } from '../../data/formats/csv-options';
import { readCsvFile } from '../../data/formats/csv-source';
import { identifierProblem } from '../../model/identifiers';
import { defineStreamNode } from './define';
import { sourceCsvDescription } from '../../model/nodes/source-csv';

export const sourceCsv = defineStreamNode(sourceCsvDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const file = await checkReadableFile(ctx.nodeId, p.path);
    const reader = readCsvFile(file, { header: p.header, delimiter: p.delimiter, quote: p.quote, nulls: p.nulls });
    const it = reader[Symbol.asyncIterator]();
    const fail = (err: unknown): never => {
      if (err instanceof CsvFormatError) throw new InputFileError(ctx.nodeId, p.path, err.message);
      throw err;
    };
    // The header is known once the first chunk is read; the columns may come from it.
    const head = await it.next().catch(fail);
    const columns = p.columns ?? columnsFromHeader(ctx.nodeId, p.path, reader.header);
    if (p.columns && p.header && reader.header) {
      const problem = headerProblem(reader.header, p.columns);
      if (problem) throw new InputFileError(ctx.nodeId, p.path, `${problem}; fix the header or the columns`);
    }
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    async function* chunks(): AsyncGenerator<RowChunk> {
      try {
        for (let r = head; !r.done; r = await it.next()) yield checks.apply(r.value);
      } catch (err) {
        fail(err);
      }
      checks.finish();
    }
    return {
      columns,
      chunks: chunks(),
      stats: () => checks.stats(),
      close: async () => void (await it.return?.(undefined)),
    };
  },
});

function columnsFromHeader(nodeId: string, file: string, header: readonly string[] | undefined): ColumnSpec[] {
  if (!header)
    throw new InputFileError(nodeId, file, 'is empty: there is no header to name the columns; declare `columns`');
  return header.map((raw) => {
    const name = raw.trim();
    const problem = identifierProblem(name);
    if (problem)
      throw new InputFileError(
        nodeId,
        file,
        `header name ${JSON.stringify(raw)} cannot be a column name (${problem}); declare \`columns\` to name them`,
      );
    return { name, type: 'text', emptyIsNull: false, nullable: true };
  });
}
