/**
 * An example user node type: counts the lines and words of a text file, in chunks, heartbeating its byte offset
 * so a retried attempt resumes where the last one stopped. Load it with
 * PIPEWRIGHT_NODE_MODULES=examples/nodes/line-count.ts (through ts-node) or pass it to createPipewrightWorker.
 */
import fs from 'node:fs';
import { ApplicationFailure } from '@temporalio/common';
import { z } from 'zod';
import { defineNodeType } from '../../src/nodes/node-type';

interface Checkpoint {
  readonly offset: number;
  readonly lines: number;
  readonly words: number;
}

export const lineCount = defineNodeType({
  name: 'line-count',
  description: 'Counts lines and words of a text file.',
  params: z.object({ path: z.string().min(1) }).strict(),
  async run(ctx) {
    if (!fs.existsSync(ctx.params.path)) {
      throw ApplicationFailure.nonRetryable(
        `node ${ctx.nodeId}: file ${ctx.params.path} does not exist; check params.path`,
        'FileNotFound',
      );
    }
    const start = (ctx.checkpoint as Checkpoint | undefined) ?? { offset: 0, lines: 0, words: 0 };
    let { offset, lines, words } = start;
    let inWord = false;
    for await (const chunk of fs.createReadStream(ctx.params.path, { start: offset, highWaterMark: 64 * 1024 })) {
      for (const byte of chunk as Buffer) {
        if (byte === 10) lines += 1;
        const space = byte === 32 || byte === 10 || byte === 9 || byte === 13;
        if (!space && !inWord) words += 1;
        inWord = !space;
      }
      offset += (chunk as Buffer).length;
      ctx.heartbeat({ offset, lines, words } satisfies Checkpoint);
      if (ctx.signal.aborted) break;
    }
    return { stats: { lines, words, bytes: offset, resumedFromByte: start.offset } };
  },
});

export default lineCount;
