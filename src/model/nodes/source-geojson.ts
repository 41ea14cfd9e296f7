/** `source.geojson`: rows from the features of a GeoJSON FeatureCollection or text sequence, read as a stream. */
import { z } from 'zod';
import { GEOMETRY_COLUMN_KINDS, refineUniqueNames } from '../columns/columns';
import { zIdentifier } from '../identifiers';
import { MaxRejectsSchema } from '../max-rejects';
import { PathParam } from './common-params';
import { describeNode } from './describe';
import { JsonColumnSchema } from './source-json';

export const SourceGeojsonParams = z
  .object({
    path: PathParam,
    /**
     * `collection` (a FeatureCollection) or `sequence` (RFC 8142: one feature per line, optionally after 0x1E).
     * Default: `sequence` for `.geojsons`, `.geojsonl`, `.geojsonseq`, `.ndgeojson`, `.jsonl`, `.ndjson` files and
     * files that start with 0x1E, else `collection`.
     */
    layout: z.enum(['collection', 'sequence']).optional(),
    /** The property columns (`key` is the property's name when it is not a valid column name); default inferred. */
    columns: z.array(JsonColumnSchema).min(1, 'declare at least one column').superRefine(refineUniqueNames).optional(),
    /** Without `columns` (or the geometry's `kind` and `z`): how many features they are inferred from. */
    inferFeatures: z.number().int().min(1).max(1_000_000).default(1000),
    /** The geometry column: its name, SRID, kind and Z (kind and Z inferred from the first features unless given). */
    geometry: z
      .object({
        column: zIdentifier('column').default('geom'),
        srid: z.number().int().min(0).max(999999).default(4326),
        kind: z.enum([...GEOMETRY_COLUMN_KINDS, 'any']).optional(),
        z: z.boolean().optional(),
      })
      .strict()
      .default({}),
    /** A column for the feature `id` (first in the row); its type inferred (`int`, `bigint`, else `text`). */
    idColumn: zIdentifier('column').optional(),
    /** Features that do not fit (not a Feature, a bad geometry, a property that does not fit) tolerated; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type SourceGeojsonParams = z.output<typeof SourceGeojsonParams>;

export const sourceGeojsonDescription = describeNode({
  name: 'source.geojson',
  description:
    'Reads the features of a GeoJSON FeatureCollection or text sequence, streamed in constant memory: properties ' +
    'as columns, the geometry as a geometry column.',
  params: SourceGeojsonParams,
  stream: 'source',
  staging: true,
});
