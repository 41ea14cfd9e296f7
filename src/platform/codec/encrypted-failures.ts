/**
 * The failure converter of encrypted deployments, loaded by the worker and bundled into the workflow sandbox
 * (`failureConverterPath`): failure messages and stack traces move into an encoded attributes payload, which the
 * encryption codec then encrypts like any other payload. Imports nothing but @temporalio/common: it runs in the
 * deterministic sandbox.
 */
import { DefaultFailureConverter } from '@temporalio/common';

/** Found in a workflow bundle built with this converter; the worker checks a prebuilt bundle for it. */
export const ENCRYPTED_FAILURES_MARKER = 'pipewright:encrypted-failures:v1';

export const failureConverter = Object.assign(new DefaultFailureConverter({ encodeCommonAttributes: true }), {
  marker: ENCRYPTED_FAILURES_MARKER,
});
