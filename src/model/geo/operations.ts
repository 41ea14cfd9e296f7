/**
 * The operations of `transform.geo`, one zod schema each, discriminated by `op`. Each reads a geometry column
 * (`input`, default the only geometry column) and writes a column (`output`: a new name adds a column, an existing
 * one is replaced). Pure: bundled into workflow code for validation.
 */
import { z } from 'zod';
import { zExpression } from '../expr/schema';
import { zIdentifier } from '../identifiers';
import { epsgProblem } from './epsg';

const column = zIdentifier('column');
const geometryIo = { input: column.optional(), output: column.optional() };

const finite = z.number().finite();

export const BufferOp = z
  .object({
    op: z.literal('buffer'),
    ...geometryIo,
    /** Metres (negative shrinks polygons), or an expression over the row's columns giving metres. */
    distance: z.union([finite, zExpression]),
    /** Segments per quarter circle. */
    steps: z.number().int().min(1).max(64).default(8),
  })
  .strict();

export const EpsgCode = z
  .number()
  .int()
  .superRefine((code, ctx) => {
    const problem = epsgProblem(code);
    if (problem) ctx.addIssue({ code: 'custom', message: problem });
  });

export const ReprojectOp = z
  .object({
    op: z.literal('reproject'),
    ...geometryIo,
    /** The target coordinate system's EPSG code; the output column gets it as its SRID. */
    to: EpsgCode,
  })
  .strict();

export const CentroidOp = z.object({ op: z.literal('centroid'), ...geometryIo }).strict();

export const SimplifyOp = z
  .object({
    op: z.literal('simplify'),
    ...geometryIo,
    /** Douglas-Peucker tolerance in the geometry's coordinate units (degrees for SRID 4326). */
    tolerance: z.number().finite().min(0),
    /** Skips the radial-distance pre-pass: slower, closer to plain Douglas-Peucker. */
    highQuality: z.boolean().default(false),
  })
  .strict();

export const AreaOp = z
  .object({ op: z.literal('area'), input: column.optional(), output: column.default('area_m2') })
  .strict();

export const LengthOp = z
  .object({ op: z.literal('length'), input: column.optional(), output: column.default('length_m') })
  .strict();

export const BboxOp = z
  .object({
    op: z.literal('bbox'),
    input: column.optional(),
    /** The four number columns: minimum x, minimum y, maximum x, maximum y. */
    output: z.tuple([column, column, column, column]).default(['minx', 'miny', 'maxx', 'maxy']),
  })
  .strict();

export const PointOp = z
  .object({
    op: z.literal('point'),
    /** The longitude and latitude columns (degrees, WGS 84). */
    lon: column,
    lat: column,
    output: column.default('geom'),
  })
  .strict();

const GeoJsonObject = z.object({ type: z.string() }).passthrough();

export const WithinOp = z
  .object({
    op: z.literal('within'),
    input: column.optional(),
    /** `[minx, miny, maxx, maxy]` in the geometry's coordinates. */
    bbox: z
      .tuple([finite, finite, finite, finite])
      .refine(([x0, y0, x1, y1]) => x0 < x1 && y0 < y1, 'bbox is [minx, miny, maxx, maxy] with min < max')
      .optional(),
    /** A GeoJSON Polygon or MultiPolygon (or a Feature or FeatureCollection of them). */
    polygon: GeoJsonObject.optional(),
    /** A GeoJSON file holding the polygon(s), read once per activity. */
    file: z.string().min(1).optional(),
  })
  .strict();

export const GeoOperation = z.discriminatedUnion('op', [
  BufferOp,
  ReprojectOp,
  CentroidOp,
  SimplifyOp,
  AreaOp,
  LengthOp,
  BboxOp,
  PointOp,
  WithinOp,
]);
export type GeoOperation = z.output<typeof GeoOperation>;

/** Refuses a `within` without exactly one of bbox, polygon or file, at its path. */
export function refineGeoOperations(ops: readonly GeoOperation[], ctx: z.RefinementCtx): void {
  ops.forEach((o, i) => {
    if (o.op !== 'within') return;
    if ([o.bbox, o.polygon, o.file].filter((v) => v !== undefined).length !== 1)
      ctx.addIssue({ code: 'custom', path: [i], message: 'within takes exactly one of bbox, polygon or file' });
  });
}
