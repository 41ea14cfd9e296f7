/**
 * Errors of the data plane. All are local (`*Error`); the activity layer turns them into failures,
 * non-retryable where a retry would meet the same input.
 */
import { FailureType } from '../../engine/failure-types';
export { CsvFormatError } from './csv-options';

/** What an attempt saw of one batch. */
export interface BatchDigest {
  readonly rows: number;
  readonly rejects: number;
  readonly fingerprint: string | null;
}

const describe = (d: BatchDigest) => `${d.rows} rows, ${d.rejects} rejects (fingerprint ${d.fingerprint})`;

/** Thrown when a batch found committed by an earlier attempt now reads differently: the input changed. */
export class InputChangedError extends Error {
  constructor(
    readonly batchNo: number,
    readonly committed: BatchDigest,
    readonly now: BatchDigest,
  ) {
    super(
      `batch ${batchNo} was committed with ${describe(committed)} but now reads ${describe(now)}: ` +
        'the input (or batchRows) changed between attempts; restore the original input, or load it under a new run',
    );
    this.name = FailureType.InputChangedError;
  }
}
