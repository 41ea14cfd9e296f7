/** The data converter of clients and workers when payloads are encrypted: the encryption codec and encrypted failures. */
import type { DataConverter } from '@temporalio/common';
import { createEncryptionCodec } from './encryption-codec';
import type { KeyRing } from './key-ring';

/** The failure converter module of encrypted deployments (the workflow sandbox loads it by path). */
export const ENCRYPTED_FAILURES_PATH = require.resolve('./encrypted-failures');

/**
 * For `new Client({ dataConverter })` and `Worker.create({ dataConverter })`; undefined (the SDK's default)
 * without keys. The failure converter goes by path: the worker bundles it into the workflow sandbox (or checks
 * that a prebuilt bundle has it) and the client and the worker's activities load it.
 */
export function encryptionDataConverter(keys: KeyRing | undefined): DataConverter | undefined {
  if (!keys) return undefined;
  return { payloadCodecs: [createEncryptionCodec(keys)], failureConverterPath: ENCRYPTED_FAILURES_PATH };
}
