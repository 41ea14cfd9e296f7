/**
 * Run parameters a definition declares (`params: { day: date, region: { type: string, default: eu } }`): each
 * run gets a value of the declared type for each, from the caller or the default. Pure: bundled into the workflow.
 */
import { z } from 'zod';

/** The types a run parameter may have. */
export const PARAM_TYPES = ['string', 'int', 'float', 'bool', 'date', 'timestamptz'] as const;
export type ParamType = (typeof PARAM_TYPES)[number];

/** Param names are plain names, so that templates can read them as `params.<name>`. */
export const PARAM_NAME_RE = /^[A-Za-z_][A-Za-z0-9_]{0,62}$/;

/** A value a run parameter holds: a date is `YYYY-MM-DD`, a timestamp an ISO 8601 string in UTC. */
export type ParamValue = string | number | boolean;
export type ParamValues = Readonly<Record<string, ParamValue>>;

const ParamSpecObject = z
  .object({
    type: z.enum(PARAM_TYPES, {
      errorMap: () => ({ message: `param type must be one of ${PARAM_TYPES.join(', ')}` }),
    }),
    /** The value when the caller gives none; without it the param is required. */
    default: z.union([z.string(), z.number(), z.boolean()]).optional(),
    description: z.string().optional(),
  })
  .strict();

/** One declaration: `{ type, default?, description? }`, or only the type (`day: date`). */
export const ParamSpecSchema = z.preprocess((v) => (typeof v === 'string' ? { type: v } : v), ParamSpecObject);
export type ParamSpec = z.infer<typeof ParamSpecObject>;

const ParamNameSchema = z
  .string()
  .regex(PARAM_NAME_RE, 'a param name starts with a letter or "_", then letters, digits or "_" (at most 63)');

export const ParamsSchema = z.record(ParamNameSchema, ParamSpecSchema);
export type ParamSpecs = Readonly<Record<string, ParamSpec>>;
