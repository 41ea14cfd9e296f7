/** zod types shared by the settings schemas. */
import { z } from 'zod';

/** An optional setting where an empty value means unset (compose files often pass `${VAR:-}`). */
export const optionalText = z
  .string()
  .optional()
  .transform((v) => (v === '' ? undefined : v));

export const bool = z
  .enum(['true', 'false', '1', '0', 'yes', 'no', ''])
  .transform((v) => v === 'true' || v === '1' || v === 'yes');

export const list = z.string().transform((v) =>
  v
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean),
);

export const port = z.coerce.number().int().min(0).max(65535);
