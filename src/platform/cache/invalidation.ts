/**
 * Invalidation messages broadcast over Redis pub/sub, so that every cache instance (every worker) drops its L1
 * copy of what one of them invalidated. JSON, small, validated on receipt (the channel is shared).
 */
import { z } from 'zod';

export const InvalidationSchema = z.union([
  z.object({ origin: z.string(), namespace: z.string(), key: z.string() }).strict(),
  z.object({ origin: z.string(), namespace: z.string(), prefix: z.string() }).strict(),
]);
/** Drop one key, or every key that starts with a prefix (`""`: the whole namespace). */
export type Invalidation = z.infer<typeof InvalidationSchema>;

export const encodeInvalidation = (message: Invalidation): string => JSON.stringify(message);

/** The message, or undefined for anything that is not one. */
export function decodeInvalidation(text: string): Invalidation | undefined {
  try {
    const parsed = InvalidationSchema.safeParse(JSON.parse(text));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
