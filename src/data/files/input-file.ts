/** Checking an input file before reading it, so that a bad path fails with a message that says what to do. */
import fs from 'node:fs/promises';
import path from 'node:path';
import { InputFileError } from '../errors';

/** Resolves `file` (from the worker's working directory) and checks that it is a readable regular file. */
export async function checkReadableFile(nodeId: string, file: string): Promise<string> {
  const resolved = path.resolve(file);
  const where = resolved === file ? '' : ` (resolved from the worker's directory ${process.cwd()})`;
  let stat;
  try {
    stat = await fs.stat(resolved);
    await fs.access(resolved, fs.constants.R_OK);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    const reason =
      code === 'ENOENT'
        ? `no such file${where}; check the path, and that every worker can see the file`
        : code === 'EACCES'
          ? `the worker may not read it (permission denied)${where}`
          : `cannot be read (${code ?? (err as Error).message})${where}`;
    throw new InputFileError(nodeId, file, reason);
  }
  if (!stat.isFile()) throw new InputFileError(nodeId, file, `is not a regular file${where}`);
  return resolved;
}

/**
 * The file a file source reads: for one partition of a glob, the partition's file; else its `path`. Checked as
 * {@link checkReadableFile} checks it.
 */
export async function sourceFile(
  ctx: { readonly nodeId: string; readonly partition?: { readonly descriptor: { readonly kind: string } } },
  file: string,
): Promise<{ path: string; resolved: string }> {
  const d = ctx.partition?.descriptor as { kind: string; path?: unknown } | undefined;
  const own = d?.kind === 'glob' && typeof d.path === 'string' ? d.path : file;
  return { path: own, resolved: await checkReadableFile(ctx.nodeId, own) };
}
