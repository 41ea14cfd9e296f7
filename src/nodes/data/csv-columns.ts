/**
 * The columns of a `source.csv` node from its file's header: declared columns checked against it, or text columns
 * named by it (normalized or strict, as `headers` says), with the header names that were renamed on the way.
 */
import { InputFileError } from '../../data/errors';
import { headerProblem, type ColumnSpec } from '../../model/columns/columns';
import { normalizeHeader } from '../../model/columns/header-names';
import { identifierProblem } from '../../model/identifiers';
import type { SourceCsvParams } from '../../model/nodes/source-csv';

/** How many renamed header names an output or explanation lists; the count of all of them is given too. */
export const LISTED_RENAMES = 50;

export interface CsvColumns {
  readonly columns: ColumnSpec[];
  /** Header name (as written) -> column name, for the names that differ; at most {@link LISTED_RENAMES}. */
  readonly renamed: Record<string, string>;
  /** How many header names differ from their column names. */
  readonly renamedCount: number;
}

type HeaderParams = Pick<SourceCsvParams, 'path' | 'header' | 'headers' | 'columns'>;

/** Throws an InputFileError (naming the node and the file) when the header and the params do not fit together. */
export function csvColumns(nodeId: string, p: HeaderParams, header: readonly string[] | undefined): CsvColumns {
  const fail = (reason: string): never => {
    throw new InputFileError(nodeId, p.path, reason);
  };
  if (p.columns && (!p.header || !header)) return { columns: p.columns, renamed: {}, renamedCount: 0 };
  if (!header) return fail('is empty: there is no header to name the columns; declare `columns`');
  const normalized = p.headers === 'normalize' ? normalizeHeader(header) : undefined;
  if (p.columns) {
    const problem = headerProblem(header, p.columns, normalized);
    if (problem) fail(`${problem}; fix the header or the columns`);
    return withRenames(p.columns, header);
  }
  const names =
    normalized ??
    header.map((raw) => {
      const name = raw.trim();
      const problem = identifierProblem(name);
      if (problem)
        fail(
          `header name ${JSON.stringify(raw)} cannot be a column name (${problem}); ` +
            'use `headers: normalize` to make names of it, or declare `columns`',
        );
      return name;
    });
  return withRenames(
    names.map((name): ColumnSpec => ({ name, type: 'text', emptyIsNull: false, nullable: true })),
    header,
  );
}

function withRenames(columns: ColumnSpec[], header: readonly string[]): CsvColumns {
  const renamed: Record<string, string> = {};
  let renamedCount = 0;
  columns.forEach((c, i) => {
    const raw = header[i] ?? '';
    if (raw === c.name) return;
    if (renamedCount++ < LISTED_RENAMES) renamed[raw.length > 100 ? `${raw.slice(0, 100)}...` : raw] = c.name;
  });
  return { columns, renamed, renamedCount };
}
