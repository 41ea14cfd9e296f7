/** `pagination` of `source.http`: one page, pages linked by a next URL, or numbered pages. */
import { z } from 'zod';
import { JsonPathParam } from '../json-path';

const queryParam = z.string().min(1).max(200);

export const PaginationSchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('none') }).strict(),
    z
      .object({
        type: z.literal('next-link'),
        /** Path of the next page's URL in the body (absolute or relative); the `Link: rel="next"` header when omitted. */
        next: JsonPathParam.optional(),
      })
      .strict(),
    z
      .object({
        type: z.literal('page'),
        /** Query parameter of the page number. */
        param: queryParam.default('page'),
        /** The first page's number. */
        start: z.number().int().min(0).default(1),
        /** Records per page: a shorter page is the last. Without it, an empty page is the last. */
        size: z.number().int().min(1).optional(),
        /** Query parameter that asks for `size` records per page. */
        sizeParam: queryParam.optional(),
      })
      .strict(),
  ])
  .superRefine((p, ctx) => {
    if (p.type === 'page' && p.sizeParam !== undefined && p.size === undefined)
      ctx.addIssue({ code: 'custom', message: '`sizeParam` needs `size`', path: ['sizeParam'] });
  });
export type Pagination = z.output<typeof PaginationSchema>;
