/** `sink.file`: writes rows to a CSV, NDJSON or GeoJSON file that appears whole or not at all. */
import { z } from 'zod';
import { zIdentifier } from '../identifiers';
import { DelimiterParam, PathParam } from './common-params';
import { describeNode } from './describe';

export const FILE_FORMATS = ['csv', 'ndjson', 'geojson', 'geojsonseq'] as const;
export type FileFormat = (typeof FILE_FORMATS)[number];

export const SinkFileParams = z
  .object({
    path: PathParam,
    /**
     * csv, ndjson, geojson (one FeatureCollection) or geojsonseq (RFC 8142: RS, one feature, LF); default from the
     * extension (`.ndjson`, `.jsonl`: NDJSON; `.geojson`: GeoJSON; `.geojsons`, `.geojsonseq`: sequence; else CSV).
     */
    format: z.enum(FILE_FORMATS).optional(),
    /** CSV only: write a header line with the column names; default true. */
    header: z.boolean().default(true),
    /** CSV only. */
    delimiter: DelimiterParam,
    /** GeoJSON only: the column that becomes each feature's geometry; default the input's only geometry column. */
    geometry: zIdentifier('column').optional(),
    /** GeoJSON only: the column that becomes each feature's `id` (not a property then). */
    idColumn: zIdentifier('column').optional(),
  })
  .strict();
export type SinkFileParams = z.output<typeof SinkFileParams>;

/** The file's format: `format`, else from the extension. */
export const formatOf = (p: Pick<SinkFileParams, 'format' | 'path'>): FileFormat =>
  p.format ??
  (/\.(ndjson|jsonl)$/i.test(p.path)
    ? 'ndjson'
    : /\.geojson$/i.test(p.path)
      ? 'geojson'
      : /\.(geojsons|geojsonseq)$/i.test(p.path)
        ? 'geojsonseq'
        : 'csv');

export const sinkFileDescription = describeNode({
  name: 'sink.file',
  description:
    'Writes rows to a CSV, NDJSON, GeoJSON FeatureCollection or GeoJSON text sequence file, atomically (temp file, ' +
    'fsync, rename).',
  params: SinkFileParams,
  stream: 'sink',
  staging: true,
});
