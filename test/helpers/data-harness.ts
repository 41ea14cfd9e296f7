/**
 * What a data pipeline test file starts with: a Temporal harness whose worker runs on the file's own data schemas
 * (createTestData), and a scratch folder for input files, made on first use. `close` ends all three.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createTestData, type TestData } from './data';
import { connectHarness, type TemporalHarness } from './temporal';

export interface DataHarness {
  readonly h: TemporalHarness;
  readonly db: TestData;
  /** The path of `name` in the scratch folder. */
  path(name: string): string;
  /** Writes `text` to `name` in the scratch folder; returns its path. */
  file(name: string, text: string): string;
  close(): Promise<void>;
}

export async function startDataHarness(name: string): Promise<DataHarness> {
  const db = await createTestData(name);
  const h = await connectHarness(`data-${name}`);
  await h.startWorker([], { data: db.services });
  let dir: string | undefined;
  const pathOf = (file: string): string => {
    dir ??= fs.mkdtempSync(path.join(os.tmpdir(), `pw-${name}-`));
    return path.join(dir, file);
  };
  return {
    h,
    db,
    path: pathOf,
    file(file, text) {
      const at = pathOf(file);
      fs.writeFileSync(at, text);
      return at;
    },
    async close() {
      await h.close();
      await db.drop();
      if (dir) fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
