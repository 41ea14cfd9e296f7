/** Errors of the data plane that a retry cannot fix (see {@link InputError}). */
import { FailureType } from '../engine/failure-types';
import { InputError } from '../platform/errors';

/** Thrown when a node names a connection the worker has no `DATABASE_URL_<NAME>` for. */
export class UnknownConnectionError extends InputError {
  constructor(
    readonly connection: string,
    readonly known: readonly string[],
  ) {
    super(
      `unknown connection "${connection}": set DATABASE_URL_${connection.toUpperCase()} on the workers` +
        (known.length > 0 ? ` (known: ${known.join(', ')})` : ' (no named connections are configured)'),
    );
    this.name = FailureType.UnknownConnection;
  }
}

/** Thrown when an input file is missing, unreadable, or not what the node expects. */
export class InputFileError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly path: string,
    reason: string,
  ) {
    super(`node "${nodeId}": input file ${path}: ${reason}`);
    this.name = FailureType.InputFileError;
  }
}

/** Thrown when a node's input dataset or upstream output is missing or of the wrong kind. */
export class InputDatasetError extends InputError {
  constructor(
    readonly nodeId: string,
    reason: string,
  ) {
    super(`node "${nodeId}": ${reason}`);
    this.name = FailureType.InputDatasetError;
  }
}

/** Thrown when a target table exists with columns that do not fit the rows to load. */
export class TargetTableError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly table: string,
    reason: string,
  ) {
    super(`node "${nodeId}": target table ${table}: ${reason}`);
    this.name = FailureType.TargetTableError;
  }
}

/** Thrown when a node writes geometry columns into a database where the PostGIS extension is not installed. */
export class PostgisMissingError extends InputError {
  constructor(
    readonly nodeId: string,
    reason: string,
  ) {
    super(`node "${nodeId}": ${reason}`);
    this.name = FailureType.PostgisMissing;
  }
}

/** Thrown when a replace-where load holds rows outside its partition: publishing them would double them later. */
export class PartitionMismatchError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly table: string,
    partition: string,
    readonly outside: number,
    example: string | null,
  ) {
    super(
      `node "${nodeId}": ${outside} row${outside === 1 ? '' : 's'} for ${table} lie outside the partition ${partition} ` +
        `(for example ${example === null ? 'NULL' : JSON.stringify(example)}); filter them out before the sink, or widen where. Nothing was changed`,
    );
    this.name = FailureType.PartitionMismatch;
  }
}

/** Thrown when the SQL of a node (transform.sql, source.postgres) is refused by Postgres for a reason a retry cannot fix. */
export class NodeSqlError extends InputError {
  constructor(
    readonly nodeId: string,
    message: string,
  ) {
    super(`node "${nodeId}": ${message}`);
    this.name = FailureType.NodeSqlError;
  }
}

/**
 * Thrown when a load would continue a ledger that the retention sweep removed (a rerun of a run older than
 * PIPEWRIGHT_LEDGER_RETENTION): which batches are already in the target is no longer known, so loading could double them.
 */
export class LedgerPrunedError extends InputError {
  constructor(
    readonly nodeId: string,
    readonly workflowId: string,
    readonly runId: string,
    readonly prunedAt: Date,
  ) {
    super(
      `node "${nodeId}": the load ledger of ${workflowId} (run ${runId}) was removed by the retention sweep on ` +
        `${prunedAt.toISOString()} (PIPEWRIGHT_LEDGER_RETENTION); the batches it committed are unknown, so continuing it ` +
        'could load rows twice. Check what the target holds of that run, then load with a new run (pipewright run)',
    );
    this.name = FailureType.LedgerPruned;
  }
}
