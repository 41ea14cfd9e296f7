/** Errors of partitioned nodes (see {@link InputError}). */
import { FailureType } from '../../engine/failure-types';
import { InputError } from '../../platform/errors';
import type { PartitionRef } from './types';

/** Thrown when a partition's activity lists the node's partitions and finds them changed since the run planned them. */
export class PartitionListingChangedError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly ref: PartitionRef,
    readonly countNow: number,
  ) {
    super(
      `node "${nodeId}": the partitions changed since the run listed them (${ref.count} then, ${countNow} now, or ` +
        `files rewritten): partition ${ref.index} no longer names the same input; restore the files, or start a new run`,
    );
    this.name = FailureType.InputChangedError;
  }
}

/** Thrown when a partition's activity finds no stored plan for its partition (the run's plans were swept). */
export class PartitionPlanMissingError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly ref: PartitionRef,
  ) {
    super(
      `node "${nodeId}": partition ${ref.index + 1} of ${ref.count} is not in the plan the run stored when it listed ` +
        `the partitions (fingerprint ${ref.fingerprint}; removed by the retention sweep?); start a new run`,
    );
    this.name = FailureType.InputChangedError;
  }
}
