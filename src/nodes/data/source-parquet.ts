/** `source.parquet`: rows from a Parquet file, row group by row group; column types from the file's schema. */
import { InputFileError } from '../../data/errors';
import { sourceFile } from '../../data/files/input-file';
import { ParquetFormatError, openParquetFile } from '../../data/formats/parquet-source';
import { ParquetColumnError } from '../../data/formats/parquet-types';
import { SourceChecks } from '../../data/rows/source-checks';
import { normalizeHeader } from '../../model/columns/header-names';
import { sourceParquetDescription } from '../../model/nodes/source-parquet';
import { LISTED_RENAMES } from './csv-columns';
import { defineStreamNode } from './define';

export const sourceParquet = defineStreamNode(sourceParquetDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const { path: input, resolved: file } = await sourceFile(ctx, p.path);
    const fail = (err: unknown): never => {
      if (err instanceof ParquetColumnError)
        throw new InputFileError(
          ctx.nodeId,
          input,
          `${err.message}; leave it out of \`columns\` (select the others), or convert it when writing the file`,
        );
      if (err instanceof ParquetFormatError)
        throw new InputFileError(ctx.nodeId, input, `${err.message}; check the file, or write it again`);
      throw err;
    };
    const reader = await openParquetFile(file, { select: p.columns }).catch(fail);
    const names = normalizeHeader(reader.columns.map((c) => c.source));
    const columns = reader.columns.map((c, i) => ({
      name: names[i] as string,
      type: c.type,
      emptyIsNull: false,
      nullable: true,
    }));
    const renamed = Object.fromEntries(
      reader.columns
        .map((c, i) => [c.source, names[i] as string])
        .filter(([source, name]) => source !== name)
        .slice(0, LISTED_RENAMES),
    );
    const it = reader.chunks();
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    return {
      columns,
      chunks: checks.checked(it, fail),
      stats: () => checks.stats(),
      value: () => (Object.keys(renamed).length > 0 ? { renamedColumns: renamed } : undefined),
      close: async () => {
        await it.return(undefined);
        await reader.close();
      },
    };
  },
});
