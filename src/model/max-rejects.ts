/**
 * The `maxRejects` threshold: how many malformed rows a node tolerates before it fails (non-retryably:
 * the same input would be rejected again).
 */
import { z } from 'zod';

/** Zod schema: a count (`5`) or a ratio of the records read (`{ ratio: 0.01 }`); default 0. */
export const MaxRejectsSchema = z
  .union([z.number().int().min(0), z.object({ ratio: z.number().min(0).max(1) }).strict()])
  .default(0);
/** A `maxRejects` setting. */
export type MaxRejects = z.output<typeof MaxRejectsSchema>;
