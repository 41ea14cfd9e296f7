/** `source.json`: rows from the array of records of a JSON file, streamed; columns declared or inferred. */
import { InputFileError } from '../../data/errors';
import { sourceFile } from '../../data/files/input-file';
import { inferJsonColumns } from '../../data/formats/json-infer';
import { JsonFormatError } from '../../data/formats/json-array-scanner';
import { readJsonFile } from '../../data/formats/json-source';
import { SourceChecks } from '../../data/rows/source-checks';
import { parseJsonPath } from '../../model/json-path';
import { sourceJsonDescription } from '../../model/nodes/source-json';
import { LISTED_RENAMES } from './csv-columns';
import { defineStreamNode } from './define';

export const sourceJson = defineStreamNode(sourceJsonDescription, {
  async openSource(ctx) {
    const p = ctx.params;
    const { path: input, resolved: file } = await sourceFile(ctx, p.path);
    const fail = (err: unknown): never => {
      if (err instanceof JsonFormatError)
        throw new InputFileError(
          ctx.nodeId,
          input,
          `is not a JSON document with an array of records: ${err.message}; fix or export the file again`,
        );
      throw err;
    };
    const records = parseJsonPath(p.records) ?? [];
    const columns = p.columns ?? (await inferJsonColumns(file, records, p.inferRecords).catch(fail));
    if (columns.length === 0)
      throw new InputFileError(
        ctx.nodeId,
        input,
        `its first ${p.inferRecords} records hold no keys to make columns of; declare \`columns\``,
      );
    const renamed = Object.fromEntries(
      columns
        .filter((c) => c.key !== undefined && c.key !== c.name)
        .slice(0, LISTED_RENAMES)
        .map((c) => [c.key, c.name]),
    );
    const it = readJsonFile(file, { records, columns });
    const checks = new SourceChecks(ctx.nodeId, columns, p.maxRejects);
    return {
      columns: columns.map(({ name, type, emptyIsNull, nullable }) => ({ name, type, emptyIsNull, nullable })),
      chunks: checks.checked(it, fail),
      stats: () => checks.stats(),
      value: () => (Object.keys(renamed).length > 0 ? { renamedKeys: renamed } : undefined),
      close: async () => void (await it.return(undefined)),
    };
  },
});
