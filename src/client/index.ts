/** The typed client for people who use the Temporal client SDK directly. */
export { PipewrightClient } from './client';
export { WORKFLOW_TYPE } from '../engine/run-input';
export type { ConnectOptions, PipewrightClientOptions, StatusOptions } from './client';
export * from './errors';
export { InvalidDefinitionError } from '../model/errors';
export { checkRunKey, defaultRunKey, parseWorkflowId, workflowIdFor } from './ids';
export * from './types';
export type { RerunOptions } from './rerun';
export { LIST_STATES, isListState, listQuery } from './visibility';
export type { ListFilter, ListState } from './visibility';
export { PipewrightSchedules, ScheduleExistsError, ScheduleMissingError } from './schedules';
export type {
  ScheduleCreateOptions,
  ScheduleListItem,
  ScheduleRun,
  ScheduleUpdateOptions,
  ScheduleView,
} from './schedules';
export { OVERLAP_POLICIES } from '../model/schedule/timing';
export type { OverlapPolicy, ScheduleTiming } from '../model/schedule/timing';
