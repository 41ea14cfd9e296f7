/**
 * `pipewright validate --explain`: what each `source.csv` node will make of its file's header, read from where the
 * command runs (a relative path resolves from the current directory, as on a worker started in the same place).
 * A templated path, a file without a header, or one not readable here is said so and skipped.
 */
import { isGlob } from '../model/partitions';
import { listGlob } from '../data/partitions/file-glob';
import { InputFileError } from '../data/errors';
import { checkReadableFile } from '../data/files/input-file';
import { CsvFormatError } from '../data/formats/csv-options';
import { readCsvHeader } from '../data/formats/csv-source';
import { SourceCsvParams } from '../model/nodes/source-csv';
import type { PipelineDefinition } from '../model/schema';
import { csvColumns } from '../nodes/data/csv-columns';

/** One source.csv node's columns with the header name each comes from, or why they could not be read here. */
export interface CsvExplanation {
  readonly node: string;
  readonly path: string;
  readonly columns?: ReadonlyArray<{ readonly name: string; readonly type: string; readonly header?: string }>;
  /** Why the file was not read here (`note`), or what reading it would fail with (`problem`). */
  readonly note?: string;
  readonly problem?: string;
}

export async function explainCsvSources(definition: PipelineDefinition): Promise<CsvExplanation[]> {
  const out: CsvExplanation[] = [];
  for (const node of definition.nodes) {
    if (node.type !== 'source.csv') continue;
    const parsed = SourceCsvParams.safeParse(node.params);
    if (!parsed.success) continue;
    const p = parsed.data;
    const base = { node: node.id, path: p.path };
    if (p.path.includes('{{')) out.push({ ...base, note: 'the path is a template: known when a run renders it' });
    else if (!p.header) out.push({ ...base, columns: p.columns, note: 'no header: the declared columns, in order' });
    else out.push(await explainFile(node.id, p));
  }
  return out;
}

async function explainFile(nodeId: string, p: SourceCsvParams): Promise<CsvExplanation> {
  const base = { node: nodeId, path: p.path };
  let file: string;
  try {
    // A glob: every file is one partition; its first file stands for the others.
    file = isGlob(p.path) ? ((await listGlob(nodeId, p.path)).partitions[0]?.path ?? p.path) : p.path;
    file = await checkReadableFile(nodeId, file);
  } catch (err) {
    if (err instanceof InputFileError) return { ...base, note: `not read here: ${err.message}` };
    throw err;
  }
  try {
    const header = await readCsvHeader(file, { delimiter: p.delimiter, quote: p.quote });
    const { columns } = csvColumns(nodeId, p, header);
    return {
      ...base,
      columns: columns.map((c, i) => {
        const raw = header?.[i];
        return { name: c.name, type: c.type, ...(raw !== undefined && raw !== c.name ? { header: raw } : {}) };
      }),
    };
  } catch (err) {
    if (err instanceof InputFileError) return { ...base, problem: err.message };
    if (err instanceof CsvFormatError)
      return { ...base, problem: `node "${nodeId}": input file ${p.path}: ${err.message}` };
    throw err;
  }
}

/** The explanation as text lines for the terminal. */
export function renderCsvExplanations(explained: readonly CsvExplanation[]): string[] {
  const lines: string[] = [];
  for (const e of explained) {
    const head = `node "${e.node}" (source.csv) reads ${e.path}`;
    if (e.problem !== undefined) lines.push(`${head}: problem: ${e.problem}`);
    else if (e.note !== undefined && e.columns === undefined) lines.push(`${head}: ${e.note}`);
    else {
      const cols = e.columns ?? [];
      lines.push(`${head}: ${cols.length} column${cols.length === 1 ? '' : 's'}${e.note ? ` (${e.note})` : ''}`);
      for (const c of cols)
        lines.push(`  ${c.name} ${c.type}${c.header !== undefined ? `  <- header ${JSON.stringify(c.header)}` : ''}`);
    }
  }
  return lines;
}
