/**
 * The runs of prometheus.live.test.ts: a CSV load with rejects and a lookup (run twice, on files whose keys
 * overlap a little), eight parallel sleeps (more than the worker's slots), and a run whose HTTP API is down.
 */
import fs from 'node:fs';
import path from 'node:path';
import { lookupLoadPipeline } from '../../helpers/lookup-load';

/** `count` rows with ids from `first`; every 20th (from the 8th) is malformed. */
export function writeCsv(file: string, first: number, count: number): void {
  const rows = Array.from({ length: count }, (_, i) => (i % 20 === 7 ? `x${i},bad` : `${first + i},n${first + i}`));
  fs.writeFileSync(file, `id,name\n${rows.join('\n')}\n`);
}

export function liveDefinitions(o: { schema: string; dir: string; downApi: string }) {
  const fileA = path.join(o.dir, 'people-a.csv');
  const fileB = path.join(o.dir, 'people-b.csv');
  const data = (file: string) => lookupLoadPipeline({ name: 'prom-data', schema: o.schema, file, maxRejects: 20 });
  const backlog = {
    name: 'prom-backlog',
    defaults: { parallelism: 8 },
    nodes: Array.from({ length: 8 }, (_, i) => ({ id: `wait-${i}`, type: 'sleep', params: { duration: '2500ms' } })),
  };
  const broken = {
    name: 'prom-broken',
    defaults: { retry: { initialInterval: '100ms', maximumInterval: '200ms', maximumAttempts: 4 } },
    nodes: [
      {
        id: 'api',
        type: 'source.http',
        params: { url: `${o.downApi}/items`, columns: [{ name: 'id', type: 'int' }] },
      },
    ],
  };
  return { fileA, fileB, data, backlog, broken };
}
