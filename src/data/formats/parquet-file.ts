/** A Parquet reader's view of a local file: byte ranges read from an open handle on demand, never the whole file. */
import fs from 'node:fs/promises';
import type { AsyncBuffer } from 'hyparquet';

/** An open file as hyparquet's `AsyncBuffer`; `close` releases the handle. */
export interface ParquetFileBuffer extends AsyncBuffer {
  close(): Promise<void>;
}

/** Opens the file at `path` for reading by byte ranges. */
export async function openParquetFileBuffer(path: string): Promise<ParquetFileBuffer> {
  const handle = await fs.open(path, 'r');
  const { size } = await handle.stat();
  return {
    byteLength: size,
    async slice(start: number, end = size): Promise<ArrayBuffer> {
      const length = Math.max(0, Math.min(end, size) - start);
      const bytes = new Uint8Array(length);
      let done = 0;
      while (done < length) {
        const { bytesRead } = await handle.read(bytes, done, length - done, start + done);
        if (bytesRead === 0) throw new Error(`the file ended at byte ${start + done}, before ${end} (did it shrink?)`);
        done += bytesRead;
      }
      return bytes.buffer;
    },
    close: () => handle.close(),
  };
}
