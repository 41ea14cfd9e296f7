/**
 * Reads a Parquet file through source.parquet's reader and the source checks, in a process of its own, and prints
 * the rows read and the process's peak resident set size as JSON. Run by node with ts-node's register hook (a real
 * Node module loader, unlike Jest's), by bench/parquet/memory.bench.ts.
 */
import { openParquetFile } from '../../src/data/formats/parquet-source';
import { SourceChecks } from '../../src/data/rows/source-checks';

async function main(file: string): Promise<void> {
  const reader = await openParquetFile(file);
  const checks = new SourceChecks(
    'read',
    reader.columns.map((c) => ({ name: c.source, type: c.type, emptyIsNull: false, nullable: true })),
    0,
  );
  let rows = 0;
  for await (const chunk of checks.checked(reader.chunks(), (err) => {
    throw err;
  }))
    rows += chunk.rows.length;
  await reader.close();
  console.log(JSON.stringify({ rows, peakRssMb: process.resourceUsage().maxRSS / 1024 }));
}

main(process.argv[2] as string).catch((err) => {
  console.error(err);
  process.exit(1);
});
