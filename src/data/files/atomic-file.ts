/**
 * A file that appears complete or not at all: text goes to a hidden temp file next to the target, which is
 * flushed to disk and renamed over the target on commit. Readers never see a half-written file, and a retried
 * activity overwrites the target whole.
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import { finished } from 'node:stream/promises';
import path from 'node:path';
import { drained } from '../rows/drained';

/** Data buffered in the process before a write waits for the disk; lets encoding overlap with writing. */
export const FILE_WRITE_BUFFER_BYTES = 1 << 20;

/** An open temp file for one target. Call exactly one of `commit` or `abort`. */
export interface AtomicFile {
  /** Where the data goes until commit: `.<name>.tmp-<random>` in the target's directory. */
  readonly tempPath: string;
  /** Appends `text` (UTF-8); resolves when the caller may write more. */
  write(text: string): Promise<void>;
  /** Flushes (fsync), renames onto the target and resolves with the bytes written. Removes the temp file on failure. */
  commit(): Promise<number>;
  /** Discards the temp file. Safe to call after a failed write or commit. */
  abort(): Promise<void>;
}

/** Who writes a target, across the attempts of one job: lets a later attempt remove what a killed one left. */
export interface TempOwner {
  /** Names the job (for a node: a digest of workflow id, run id and node id); letters and digits only. */
  readonly id: string;
  /** The attempt, from 1. */
  readonly attempt: number;
}

/** `.<name>.tmp-`, then `<owner id>-` for an owned file (which goes on `<attempt>-<random>`). */
const tempPrefix = (target: string, ownerId?: string): string =>
  `.${path.basename(target)}.tmp-${ownerId ? `${ownerId}-` : ''}`;

/**
 * Creates the temp file for `target`. The directory must exist. Errors opening or writing the file surface on
 * the next `write` or on `commit`. A killed process leaves its `.<name>.tmp-*` file behind; with an `owner`, the
 * job's next attempt removes it (see `removeEarlierTemps`).
 */
export function openAtomicFile(target: string, owner?: TempOwner): AtomicFile {
  const dir = path.dirname(target);
  const attempt = owner ? `${owner.attempt}-` : '';
  const tempPath = path.join(dir, `${tempPrefix(target, owner?.id)}${attempt}${randomBytes(6).toString('hex')}`);
  // `wx`: never write into a file someone else holds; `flush`: fsync before close, so the rename publishes data
  // that is on disk rather than a file that may turn up empty after a power loss.
  const stream = fs.createWriteStream(tempPath, { flags: 'wx', highWaterMark: FILE_WRITE_BUFFER_BYTES, flush: true });
  let failure: Error | undefined;
  stream.on('error', (err: Error) => (failure ??= err));
  let closed = false;

  const removeTemp = async () => {
    if (!stream.destroyed) stream.destroy();
    await finished(stream).catch(() => undefined);
    await fs.promises.rm(tempPath, { force: true });
  };

  return {
    tempPath,
    async write(text) {
      if (failure) throw failure;
      if (closed) throw new Error(`${target}: write after commit or abort`);
      if (text.length === 0 || stream.write(text)) return;
      await drained(stream);
      if (failure) throw failure;
    },
    async commit() {
      if (closed) throw new Error(`${target}: commit after commit or abort`);
      closed = true;
      try {
        if (failure) throw failure;
        stream.end();
        await finished(stream);
        await fs.promises.rename(tempPath, target);
      } catch (err) {
        await removeTemp();
        throw err;
      }
      await syncDirectory(dir);
      return stream.bytesWritten;
    },
    async abort() {
      closed = true;
      await removeTemp();
    },
  };
}

/**
 * Removes the temp files that earlier attempts of `owner`'s job left beside `target` (a killed process cannot remove
 * its own). An earlier attempt that still runs (one Temporal has given up on) loses its temp file, so its commit
 * fails instead of publishing: the rename goes by name, and no other attempt's temp file has that name.
 */
export async function removeEarlierTemps(target: string, owner: TempOwner): Promise<void> {
  const dir = path.dirname(target);
  const prefix = tempPrefix(target, owner.id);
  for (const name of await fs.promises.readdir(dir)) {
    if (!name.startsWith(prefix)) continue;
    const attempt = Number(name.slice(prefix.length).split('-')[0]);
    if (Number.isInteger(attempt) && attempt < owner.attempt)
      await fs.promises.rm(path.join(dir, name), { force: true });
  }
}

/** Makes the rename itself durable. */
async function syncDirectory(dir: string): Promise<void> {
  let handle: fs.promises.FileHandle | undefined;
  try {
    handle = await fs.promises.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename is atomic there all the same.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
