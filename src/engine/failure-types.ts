/**
 * Every failure type pipewright gives a failed node or run: the names a definition's `nonRetryableErrorTypes` can
 * list, and the `type` of each failure in the Web UI and the status. One list: the errors and the classification
 * take their names from it, and docs/resilience.md ("Failure types") has one row per entry (a unit test compares).
 * A node type's own failures (user types, the `fail` node's `errorType`) add their own names. Pure.
 */

export const FailureType = {
  // A call to a resource failed in a way a later attempt can get past: retried.
  CircuitOpen: 'CircuitOpen',
  Timeout: 'Timeout',
  ConnectionFailed: 'ConnectionFailed',
  ResourceUnavailable: 'ResourceUnavailable',
  PostgresUnavailable: 'PostgresUnavailable',
  PostgresRetryable: 'PostgresRetryable',
  HttpUnavailable: 'HttpUnavailable',
  // A resource refused the call for good: not retried.
  AuthenticationFailed: 'AuthenticationFailed',
  HttpBadRequest: 'HttpBadRequest',
  PostgresAuthenticationFailed: 'PostgresAuthenticationFailed',
  PostgresDataError: 'PostgresDataError',
  PostgresConstraintViolation: 'PostgresConstraintViolation',
  PostgresInvalidStatement: 'PostgresInvalidStatement',
  PostgresError: 'PostgresError',
  // The definition or the input is wrong: not retried.
  UnknownNodeType: 'UnknownNodeType',
  InvalidNodeParams: 'InvalidNodeParams',
  UnknownConnection: 'UnknownConnection',
  InputFileError: 'InputFileError',
  InputDatasetError: 'InputDatasetError',
  InputChangedError: 'InputChangedError',
  LedgerPruned: 'LedgerPruned',
  TargetTableError: 'TargetTableError',
  PartitionMismatch: 'PartitionMismatch',
  PostgisMissing: 'PostgisMissing',
  NodeSqlError: 'NodeSqlError',
  HttpResponseError: 'HttpResponseError',
  TooManyRejects: 'TooManyRejects',
  // A node's state, not a failure of its own: it ran fused with the node that failed.
  FusedNodeFailed: 'FusedNodeFailed',
  // The failures of a run.
  InvalidPipelineDefinition: 'InvalidPipelineDefinition',
  DefinitionNotFound: 'DefinitionNotFound',
  DefinitionNotLoaded: 'DefinitionNotLoaded',
  PipelineFailed: 'PipelineFailed',
} as const;
export type FailureType = (typeof FailureType)[keyof typeof FailureType];

/** Every failure type, in the order of the documentation's table. */
export const FAILURE_TYPES: readonly FailureType[] = Object.values(FailureType);
