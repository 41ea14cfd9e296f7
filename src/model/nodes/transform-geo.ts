/** `transform.geo`: per-row geometry operations (buffer, reproject, centroid, simplify, measures, a spatial filter). */
import { z } from 'zod';
import { GeoOperation, refineGeoOperations } from '../geo/operations';
import { MaxRejectsSchema } from '../max-rejects';
import { describeNode } from './describe';

export const TransformGeoParams = z
  .object({
    /** Applied in order; each sees the columns the ones before it wrote. */
    operations: z.array(GeoOperation).min(1, 'give at least one operation').superRefine(refineGeoOperations),
    /** Rows an operation cannot handle (NULL geometry, out of a projection's domain) tolerated; default 0. */
    maxRejects: MaxRejectsSchema,
  })
  .strict();
export type TransformGeoParams = z.output<typeof TransformGeoParams>;

export const transformGeoDescription = describeNode({
  name: 'transform.geo',
  description:
    'Per-row geometry operations in order: buffer (metres), reproject (EPSG), centroid, simplify, area, length, ' +
    'bbox, point from longitude/latitude, and a within filter.',
  params: TransformGeoParams,
  stream: 'transform',
  staging: true,
});
