/**
 * `sink.file`: writes rows to a CSV or NDJSON file that appears whole or not at all (temp file, fsync, rename);
 * a retry rewrites it from the start, removing the temp file of an attempt that was killed.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { InputFileError } from '../../data/errors';
import { writeRowsToFile } from '../../data/files/file-sink';
import { defineStreamNode } from './define';
import { datasetColumn } from '../../model/state';
import { sinkFileDescription, type SinkFileParams } from '../../model/nodes/sink-file';

export const FILE_FORMATS = ['csv', 'ndjson'] as const;

export const formatOf = (p: SinkFileParams): 'csv' | 'ndjson' =>
  p.format ?? (/\.(ndjson|jsonl)$/i.test(p.path) ? 'ndjson' : 'csv');

export const sinkFile = defineStreamNode(sinkFileDescription, {
  async sink(ctx, input) {
    const p = ctx.params;
    const target = path.resolve(p.path);
    const dir = path.dirname(target);
    if (!fs.existsSync(dir))
      throw new InputFileError(ctx.nodeId, p.path, `the directory ${dir} does not exist; create it first`);
    const format = formatOf(p);
    const started = Date.now();
    const written = await writeRowsToFile(target, format, input.columns, input.chunks, {
      header: p.header,
      delimiter: p.delimiter,
      signal: ctx.signal,
      owner: {
        id: createHash('sha1')
          .update(`${ctx.workflowId}\u0000${ctx.runId}\u0000${ctx.nodeId}`)
          .digest('hex')
          .slice(0, 12),
        attempt: ctx.attempt,
      },
      onChunk: (rows: number) => ctx.heartbeat({ rows }),
    });
    return {
      stats: { rowsWritten: written.rows, bytes: written.bytes, ms: Date.now() - started },
      dataset: {
        kind: 'file',
        location: target,
        format,
        rows: written.rows,
        columns: input.columns.map((c) => datasetColumn(c, c.name)),
      },
    };
  },
});
