/**
 * Payloads in the protobuf JSON form the codec endpoint speaks (Temporal's codec server protocol):
 * `{ "payloads": [{ "metadata": { "encoding": "<base64>" }, "data": "<base64>" }] }`.
 */
import type { Payload } from '@temporalio/common';
import { z } from 'zod';

const base64 = z.string().regex(/^[A-Za-z0-9+/_-]*={0,2}$/, { message: 'expected base64' });

export const PayloadJsonSchema = z.object({
  metadata: z.record(base64).nullish(),
  data: base64.nullish(),
});
export type PayloadJson = z.infer<typeof PayloadJsonSchema>;

export const PayloadsJsonSchema = z.object({ payloads: z.array(PayloadJsonSchema) });
export type PayloadsJson = z.infer<typeof PayloadsJsonSchema>;

export function fromPayloadJson(p: PayloadJson): Payload {
  return {
    metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
    data: Buffer.from(p.data ?? '', 'base64'),
  };
}

export function toPayloadJson(p: Payload): PayloadJson {
  return {
    metadata: Object.fromEntries(
      Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? new Uint8Array()).toString('base64')]),
    ),
    data: Buffer.from(p.data ?? new Uint8Array()).toString('base64'),
  };
}
