/** Params keyed by column name (`cast: { price: numeric }`), with the keys checked as identifiers. */
import { z } from 'zod';
import { identifierProblem } from '../identifiers';

/** A record whose keys must be valid column names; each bad key is reported at its own path. */
export const columnRecord = <T extends z.ZodTypeAny>(value: T) =>
  z.record(value).superRefine((rec, ctx) => {
    for (const key of Object.keys(rec)) {
      const problem = identifierProblem(key);
      if (problem) ctx.addIssue({ code: 'custom', path: [key], message: `column ${JSON.stringify(key)}: ${problem}` });
    }
  });
