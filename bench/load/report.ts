/** The load benchmark's table: figures next to the baseline measured in the same run, and the targets. */

export interface RoundFigures {
  readonly psqlMs: number;
  readonly pipeMs: number;
  /** The worker's peak RSS during the run, bytes. */
  readonly rss: number;
  /** CPU the worker process used for the run (all its threads), ms. */
  readonly workerCpuMs: number;
}

export interface MemoryFigures {
  readonly rows: number;
  readonly pipeMs: number;
  readonly rss: number;
  readonly restingRss: number;
}

/** One round of the dirty data set: psql \copy of the CSV, source.csv of it, source.parquet of its twin. */
export interface FormatRound {
  readonly psqlMs: number;
  readonly csvMs: number;
  readonly parquetMs: number;
  readonly csvCpuMs: number;
  readonly parquetCpuMs: number;
}

export interface LoadFigures {
  readonly rows: number;
  readonly append: RoundFigures[];
  /** Upserts into an empty keyed table. */
  readonly upsert: RoundFigures[];
  /** Upserts into a keyed table that already holds every key. */
  readonly upsertFull: RoundFigures[];
  /** The dirty CSV and its Parquet twin, `formatRows` rows. */
  readonly formats: FormatRound[];
  readonly formatRows: number;
  /** Fresh workers loading `rows` (small) and the large file (big) once each: their peak and resting RSS. */
  small?: MemoryFigures;
  big?: MemoryFigures;
}

const median = (xs: readonly number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length === 0 ? NaN : (s[Math.floor(s.length / 2)] as number);
};
const perSecond = (rows: number, ms: number): number => Math.round((rows / ms) * 1000);
const mb = (bytes: number): number => Math.round(bytes / 2 ** 20);

/** The same-run ratios (higher is better), for the regression gate: see bench/check. */
export type LoadRatios = Record<string, number>;

/** Prints the table; returns its same-run ratios (each the median of its rounds' own ratios). */
export function reportLoad(f: LoadFigures): LoadRatios {
  const ratios: LoadRatios = {};
  const lines: Array<Record<string, string | number>> = [];
  const add = (
    figure: string,
    measured: string | number,
    baseline: string | number,
    ratio: string,
    target: string,
    met: string,
  ) => lines.push({ figure, measured, 'baseline (same run)': baseline, ratio, target, met });
  if (f.append.length > 0) {
    const psql = median(f.append.map((r) => r.psqlMs));
    const pipe = median(f.append.map((r) => r.pipeMs));
    // Each round's two loads ran back to back, so their ratio is free of the machine's drift between rounds.
    const paired = median(f.append.map((r) => r.psqlMs / r.pipeMs));
    add(
      `append ${f.rows.toLocaleString()} rows, rows/s; ratio: median of the ${f.append.length} rounds' ratios`,
      perSecond(f.rows, pipe),
      `${perSecond(f.rows, psql)} psql \\copy`,
      paired.toFixed(3),
      '>= 0.85',
      paired >= 0.85 ? 'yes' : 'NO',
    );
    ratios.append = paired;
    add('append, ratio of the two medians above', '-', '-', (psql / pipe).toFixed(3), '-', '-');
    const cpu = median(f.append.map((r) => r.workerCpuMs));
    add(
      'append, worker CPU (all threads) per load, median',
      `${(cpu / 1000).toFixed(2)} s`,
      `${(psql / 1000).toFixed(2)} s psql \\copy wall time`,
      (cpu / psql).toFixed(3),
      '-',
      '-',
    );
  }
  const upsert = (rounds: readonly RoundFigures[], target: string, key: string) => {
    if (rounds.length === 0) return;
    const psql = median(rounds.map((r) => r.psqlMs));
    const pipe = median(rounds.map((r) => r.pipeMs));
    const paired = median(rounds.map((r) => r.psqlMs / r.pipeMs));
    ratios[key] = paired;
    add(
      `upsert ${f.rows.toLocaleString()} rows, ${target}, rows/s; ratio: median of ${rounds.length} rounds'`,
      perSecond(f.rows, pipe),
      `${perSecond(f.rows, psql)} psql copy + insert`,
      paired.toFixed(3),
      '>= 0.9',
      paired >= 0.9 ? 'yes' : 'NO',
    );
    const cpu = median(rounds.map((r) => r.workerCpuMs));
    add(`upsert, ${target}, worker CPU per load, median`, `${(cpu / 1000).toFixed(2)} s`, '-', '-', '-', '-');
  };
  upsert(f.upsert, 'empty target', 'upsertEmpty');
  upsert(f.upsertFull, 'every key present', 'upsertFull');
  formats(f, add, ratios);
  const { small, big } = f;
  if (small)
    add(
      `worker peak RSS, ${small.rows.toLocaleString()} rows (fresh worker)`,
      `${mb(small.rss)} MB`,
      `${mb(small.restingRss)} MB at rest`,
      '-',
      '< 300 MB',
      mb(small.rss) < 300 ? 'yes' : 'NO',
    );
  if (small && big) {
    const ratio = big.rss / small.rss;
    add(
      `worker peak RSS, ${big.rows.toLocaleString()} rows (fresh worker, ${perSecond(big.rows, big.pipeMs)} rows/s)`,
      `${mb(big.rss)} MB`,
      `${mb(small.rss)} MB at ${small.rows.toLocaleString()} rows`,
      ratio.toFixed(3),
      '<= 1.2, < 300 MB',
      ratio <= 1.2 && mb(big.rss) < 300 ? 'yes' : 'NO',
    );
  }
  if (f.upsert.length > 0)
    add(
      'worker peak RSS during the upsert rounds',
      `${mb(Math.max(...[...f.upsert, ...f.upsertFull].map((r) => r.rss)))} MB`,
      '-',
      '-',
      '-',
      '-',
    );
  console.table(lines);
  return ratios;
}

type Add = (
  figure: string,
  measured: string | number,
  baseline: string | number,
  r: string,
  t: string,
  m: string,
) => void;

function formats(f: LoadFigures, add: Add, ratios: LoadRatios): void {
  const rounds = f.formats;
  if (rounds.length === 0) return;
  const n = `${f.formatRows.toLocaleString()} rows`;
  const psql = median(rounds.map((r) => r.psqlMs));
  const csv = median(rounds.map((r) => r.csvMs));
  const parquet = median(rounds.map((r) => r.parquetMs));
  ratios.dirtyCsv = median(rounds.map((r) => r.psqlMs / r.csvMs));
  ratios.parquetToPsql = median(rounds.map((r) => r.psqlMs / r.parquetMs));
  ratios.parquetToCsv = median(rounds.map((r) => r.csvMs / r.parquetMs));
  const of = `median of ${rounds.length} rounds'`;
  const clean = ratios.append === undefined ? '' : ` (clean CSV with the computed column: ${ratios.append.toFixed(3)})`;
  add(
    `dirty CSV ${n}, source.csv -> sink.postgres, rows/s; ratio: ${of}${clean}`,
    perSecond(f.formatRows, csv),
    `${perSecond(f.formatRows, psql)} psql \\copy (format csv, header), same file`,
    ratios.dirtyCsv.toFixed(3),
    '-',
    '-',
  );
  add(
    `same data as Parquet, source.parquet -> sink.postgres, rows/s; ratio: ${of}`,
    perSecond(f.formatRows, parquet),
    `${perSecond(f.formatRows, psql)} psql \\copy of it as CSV`,
    ratios.parquetToPsql.toFixed(3),
    '-',
    '-',
  );
  add(
    `Parquet against the same data as CSV through source.csv; ratio: ${of}`,
    perSecond(f.formatRows, parquet),
    `${perSecond(f.formatRows, csv)} source.csv`,
    ratios.parquetToCsv.toFixed(3),
    '-',
    '-',
  );
  const cpu = (xs: number[]) => `${(median(xs) / 1000).toFixed(2)} s`;
  add(
    'dirty CSV / Parquet, worker CPU per load, median',
    `${cpu(rounds.map((r) => r.csvCpuMs))} / ${cpu(rounds.map((r) => r.parquetCpuMs))}`,
    '-',
    '-',
    '-',
    '-',
  );
}
